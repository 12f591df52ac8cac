#!/bin/sh
# Screenshots of Winnow under Xvfb, on a fresh database with the bundled
# samples, in the light style and the dark one (dark-*.png): the empty
# window, the task list at 1280 px and at 360 px (narrow-*.png), a task's
# page and its columns with their charts, a running task, a failed task,
# the configuration dialog with its charts, and the preferences.
#
# usage: build-aux/screenshot.sh [OUT_DIR]       (default: _build/screenshots)
# needs: xvfb-run, dbus-run-session, imagemagick's import, xwininfo,
# xdotool, awk; a built _build/.
set -eu
cd "$(dirname "$0")/.."

out=${1:-_build/screenshots}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the files sit in a home folder of their own, so the window shows their
# paths as a user's would read, ~/Documents/customers.csv
export HOME="$work/home"
docs="$HOME/Documents"
mkdir -p "$docs"
cp data/samples/*.csv "$docs/"
# a list with a few tasks reads better than one: copies under other names,
# and one file that fails (unbalanced quotes) to show an error
for name in orders-2026-q3 leads-october suppliers; do
  cp data/samples/customers.csv "$docs/$name.csv"
done
printf 'id,name\n1,"unterminated\n' > "$docs/export-broken.csv"
# a file big enough to be seen running (the engine reads some 3 M rows a second here)
awk 'BEGIN { print "id,name,city,amount";
             for (i = 0; i < 30000000; i++)
               printf "%d,name %d,%s,%d.%02d\n", i, i % 5000, (i % 7 ? "Lagos" : ""), i % 9973, i % 100 }' \
  > "$docs/sales-2026.csv"
binary=$(pwd)/_build/src/winnow
[ -x "$binary" ] || { echo "build first (build-aux/build.sh)" >&2; exit 1; }

export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$(pwd)/_build/data"

# the tasks come from the batch mode, which keeps the same history
WINNOW_DB="$work/history.db" "$binary" --batch --recipe data/samples/customers.recipe.json \
  "$docs/customers.csv" "$docs/orders-2026-q3.csv" "$docs/leads-october.csv" \
  "$docs/suppliers.csv" "$docs/export-broken.csv" > /dev/null || true

# $1: a prefix for the file names ("" or "dark-")
shots () {
  prefix=$1
  rm -f "$work"/run.db*
  cp "$work/history.db" "$work/run.db"
  # the running task writes anew in each pass
  rm -f "$docs"/sales-2026.cleaned*.csv
  WINNOW_DB="$work/run.db" xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- sh -c "
  set -e
  # the main window alone (at 360 px the screen is mostly empty)
  shot () { import -window \"\$(main)\" \"$out/$prefix\$1.png\"; }
  # one window by its title (no window manager here: windows overlap)
  window () { xwininfo -root -tree | grep \"\$1\" | grep -v ' 1x1+' | head -1 | awk '{print \$1}'; }
  shot_window () { import -window \"\$(window \"\$2\")\" \"$out/$prefix\$1.png\"; }
  main () { xdotool search --onlyvisible --name '^Winnow\$' | head -1; }
  size () { xdotool windowsize \"\$(main)\" \$1 \$2; sleep 1; }
  # the wheel turned \$3 notches down at (\$1, \$2) of the main window
  scroll () {
    xdotool mousemove --window \"\$(main)\" \$1 \$2
    i=0; while [ \$i -lt \$3 ]; do xdotool click 5; i=\$((i + 1)); done
    xdotool mousemove 1279 799
    sleep 1
  }
  WINNOW_DB='$work/empty-$prefix.db' '$binary' & pid=\$!
  sleep 3; shot empty
  gapplication action io.github.winnow.Winnow quit || kill \$pid
  wait \$pid || true
  '$binary' & pid=\$!
  sleep 3; size 1280 800; shot tasks
  size 360 700; shot narrow-tasks
  gapplication action io.github.winnow.Winnow show-task 'int64 1'
  sleep 2; shot narrow-task
  size 1280 800; shot task
  scroll 600 500 12; shot task-columns
  gapplication action io.github.winnow.Winnow show-task 'int64 5'
  sleep 2; shot failed
  '$binary' '$docs/customers.csv'
  sleep 3; shot_window dialog 'Clean'
  xdotool windowfocus --sync \$(window 'Clean') key Escape || true
  sleep 1
  '$binary' '$docs/sales-2026.csv'
  sleep 4
  xdotool windowfocus --sync \"\$(window 'Clean')\" key ctrl+Return
  sleep 3; shot running
  gapplication action io.github.winnow.Winnow show-task 'int64 6'
  size 360 700; sleep 0.5; shot narrow-running-task
  size 1280 800; sleep 0.5; shot running-task
  gapplication action io.github.winnow.Winnow preferences
  sleep 2; shot_window preferences 'Preferences'
  kill \$pid
"
}

shots ""
ADW_DEBUG_COLOR_SCHEME=prefer-dark shots dark-
echo "screenshots in $out"
