#!/bin/sh
# Configures (once) and builds Winnow in _build/.
set -eu
cd "$(dirname "$0")/.."

if [ ! -f _build/build.ninja ]; then
    meson setup _build --buildtype=debugoptimized
fi
meson compile -C _build
