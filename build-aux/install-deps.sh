#!/bin/sh
# Installs the Debian 12 packages Winnow needs to build, run and test,
# asking apt only for what is missing. Safe to run again.
set -eu

PACKAGES="
  gcc
  meson
  ninja-build
  pkg-config
  gettext
  libglib2.0-dev
  libglib2.0-bin
  libjson-glib-dev
  libcsv-dev
  libxxhash-dev
  libsqlite3-dev
  libgtk-4-dev
  libadwaita-1-dev
  libgtk-4-bin
  appstream
  desktop-file-utils
  xvfb
  xauth
  dbus
  dbus-x11
  at-spi2-core
  python3
  python3-pyatspi
  python3-pandas
  python3-dask
  python3-distributed
  locales
  clang
  libclang-rt-dev
  valgrind
"

missing=""
for package in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done

# npm brings DuckDB for the export tests (build-aux/install-duckdb.sh);
# a Node.js that ships its own npm is fine too.
if ! command -v npm >/dev/null 2>&1; then
    missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    echo "Installing:$missing"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi

"$(dirname "$0")/install-duckdb.sh"
