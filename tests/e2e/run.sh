#!/bin/sh
# Runs a driver (drive.py, a11y.py) against the real Winnow in a private
# D-Bus session with the AT-SPI bus, on a temporary database. Needs a
# display (xvfb-run).
#
# usage: run.sh DRIVER WINNOW_BINARY SAMPLE_CSV
set -eu

driver=$1
binary=$2
sample=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cp "$sample" "$work/"
name=$(basename "$sample")
# a second launch hands this one to the running instance
cp "$sample" "$work/second-$name"

export WINNOW_DB="$work/history.db"
export GSETTINGS_BACKEND=memory
export GTK_A11Y=atspi
export NO_AT_BRIDGE=0

status=0
dbus-run-session -- sh -c "
  /usr/libexec/at-spi-bus-launcher --launch-immediately &
  launcher=\$!
  # the toolkit asks this before it talks to the bus
  gsettings set org.gnome.desktop.interface toolkit-accessibility true 2>/dev/null || true
  '$binary' '$work/$name' &
  app=\$!
  /usr/bin/python3 '$here/$driver' '$name' '$binary' '$work/second-$name'
  result=\$?
  kill \$app \$launcher 2>/dev/null
  exit \$result
" || status=$?
rm -rf "$work"
exit $status
