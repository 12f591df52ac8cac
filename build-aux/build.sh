#!/bin/sh
# Configures (once) and builds Winnow in _build/.
set -eu
cd "$(dirname "$0")/.."

if [ ! -f _build/build.ninja ]; then
    # warnings are errors here and in CI; a plain meson setup (distributions)
    # keeps them warnings
    meson setup _build --buildtype=debugoptimized --werror
fi
meson compile -C _build
