#!/bin/sh
# Installs what is missing, builds, and runs Winnow (the window; any
# arguments are passed on, e.g. CSV files to clean, or --batch ...).
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh
./build-aux/build.sh
GSETTINGS_SCHEMA_DIR="$PWD/_build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}" \
WINNOW_LOCALEDIR="$PWD/_build/po" \
  exec ./_build/src/winnow "$@"
