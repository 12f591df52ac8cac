#!/bin/sh
# Installs what is missing, builds, and runs the whole test suite.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh
./build-aux/build.sh
# The window's tests need a display: a virtual one.
xvfb-run -a -s "-screen 0 1280x800x24" meson test -C _build --print-errorlogs "$@"
