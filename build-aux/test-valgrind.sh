#!/bin/sh
# The engine and store tests under valgrind: no invalid access and no
# definite leak (GLib's and SQLite's one-time allocations are "still
# reachable" or "possibly lost", which do not count).
# /store/queries compares thousands of queries against a model: minutes
# under valgrind for SQL the ASan run covers too, so it is left out here.
# Run build-aux/test.sh first: it installs valgrind and builds _build.
set -eu
cd "$(dirname "$0")/.."

meson compile -C _build > /dev/null
meson test -C _build --print-errorlogs --no-rebuild --suite engine --suite db \
    --timeout-multiplier 10 --test-args "-s /store/queries" \
    --wrap="valgrind --quiet --error-exitcode=1 --leak-check=full \
--errors-for-leak-kinds=definite --show-leak-kinds=definite \
--suppressions=$(pwd)/tests/valgrind.supp" "$@"
