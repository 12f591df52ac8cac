#!/bin/sh
# Installs what is missing, builds, and runs the whole test suite.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh
./build-aux/build.sh
meson test -C _build --print-errorlogs "$@"
