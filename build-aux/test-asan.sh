#!/bin/sh
# The whole test suite again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer; the first error stops the test that made it.
# Run build-aux/install-deps.sh first (build-aux/test.sh does).
set -eu
cd "$(dirname "$0")/.."

if [ ! -f _build-asan/build.ninja ]; then
    meson setup _build-asan --werror -Db_sanitize=address,undefined -Db_lundef=false \
        --buildtype=debug > /dev/null
fi
meson compile -C _build-asan > /dev/null
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1
# GTK draws with cairo here, and loads nothing of Mesa: Debian 12's Mesa
# 22.3.6-1+deb12u2 keeps a buffer of 128 bytes that only its own driver
# points to, and the driver is unloaded at exit, so LeakSanitizer reports
# it from "<unknown module>", where no suppression can name it (every
# window's test failed so). Our code draws nothing with GL itself.
export GDK_DEBUG=gl-disable
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run_tests () {
    xvfb-run -a -s "-screen 0 1280x800x24" meson test -C _build-asan --print-errorlogs \
        --timeout-multiplier 3 "$@"
}
# a suite that never ran leaves no log to mistake for this one's
rm -f _build-asan/meson-logs/testlog.json
if run_tests "$@"; then
    exit 0
fi
# LeakSanitizer's tracer itself crashes at exit now and then, after a test
# has passed (see build-aux/lsan-tracer-flakes.py); only tests that failed
# that way, and nothing else, run once more (by name, without the options
# given to this script).
flakes=$(./build-aux/lsan-tracer-flakes.py _build-asan/meson-logs/testlog.json) || exit 1
echo "LeakSanitizer's tracer crashed after these tests passed; running them again:"
echo "$flakes"
set --
while IFS= read -r name; do
    set -- "$@" "$name"
done <<EOF
$flakes
EOF
run_tests "$@"
