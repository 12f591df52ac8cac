#!/bin/bash
# Benchmark (not a test): the window's main loop over a shared history
# under load (bench/history-bench.c), run the way the closing notes quote
# it, on each display server at hand, alternated:
#   xvfb     an X server (Xvfb, as the UI tests use)
#   wayland  a headless Weston: a Wayland compositor, as GNOME's default
#            session is; skipped when weston is not installed
# Each run starts from a fresh copy of one history of 100,000 tasks (made
# once in bench/data by store-bench, ~40 s) and draws with the cairo
# renderer (neither display has GL here).
#
# usage: bench/history-bench.sh [ROUNDS [SECONDS]]   (default: 3 rounds of 15 s)
# env:   DISPLAYS   which displays (default: "xvfb wayland")
#        any WINNOW_BENCH_* variable of history-bench.c
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-3}
SECONDS_EACH=${2:-15}
DISPLAYS=${DISPLAYS:-xvfb wayland}
BUILD=build-bench
DATA=bench/data
TEMPLATE=$DATA/history-100k.db

[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release -Dtests=false -Dbench=true >/dev/null
meson compile -C "$BUILD" >/dev/null
mkdir -p "$DATA"
if [ ! -f "$TEMPLATE" ]; then
    echo "making $TEMPLATE ..." >&2
    rm -f "$TEMPLATE.part"*
    "$BUILD/bench/store-bench" "$TEMPLATE.part" >/dev/null
    mv "$TEMPLATE.part" "$TEMPLATE"
fi

WORK=$(mktemp -d)
WESTON_PID=
cleanup() {
    [ -z "$WESTON_PID" ] || kill "$WESTON_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export GSK_RENDERER=cairo GSETTINGS_SCHEMA_DIR=$BUILD/data GSETTINGS_BACKEND=memory
export WINNOW_BINARY=$PWD/$BUILD/src/winnow

# A compositor of our own, with a runtime folder of its own.
start_weston() {
    mkdir -m 700 "$WORK/runtime"
    XDG_RUNTIME_DIR=$WORK/runtime weston --backend=headless-backend.so --socket=winnow-bench --width=1280 --height=800 \
           --idle-time=0 >"$WORK/weston.log" 2>&1 &
    WESTON_PID=$!
    for _ in $(seq 100); do
        [ -S "$WORK/runtime/winnow-bench" ] && return 0
        kill -0 "$WESTON_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench: weston did not start:" >&2
    cat "$WORK/weston.log" >&2
    return 1
}

run() {
    local db=$WORK/history.db
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$TEMPLATE" "$db"
    case "$1" in
        xvfb)
            GDK_BACKEND=x11 env -u WAYLAND_DISPLAY \
                xvfb-run -a -s "-screen 0 1280x800x24" "$BUILD/bench/history-bench" "$db" "$SECONDS_EACH" ;;
        wayland)
            XDG_RUNTIME_DIR=$WORK/runtime WAYLAND_DISPLAY=winnow-bench GDK_BACKEND=wayland \
                dbus-run-session -- "$BUILD/bench/history-bench" "$db" "$SECONDS_EACH" ;;
    esac 2>&1 | { grep -E "p99|frames|waited" || echo "(no summary: the run failed)"; } | tr '\n' ' '
    echo
}

chosen=()
for display in $DISPLAYS; do
    case "$display" in
        xvfb) command -v xvfb-run >/dev/null || { echo "bench: no xvfb-run; xvfb skipped" >&2; continue; } ;;
        wayland)
            command -v weston >/dev/null || { echo "bench: no weston (apt-get install weston); wayland skipped" >&2; continue; }
            start_weston ;;
        *) echo "bench: unknown display $display" >&2; exit 1 ;;
    esac
    chosen+=("$display")
done

for round in $(seq "$ROUNDS"); do
    for display in "${chosen[@]}"; do
        printf "%-8s %s: " "$display" "$round"
        run "$display"
    done
done
