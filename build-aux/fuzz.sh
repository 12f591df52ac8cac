#!/bin/sh
# Fuzzes the reader and cleaning pipeline (fuzz-clean) and the recipe
# parser (fuzz-recipe) with libFuzzer under ASan and UBSan, each for
# SECONDS. New corpus entries stay in build-fuzz/corpus-*; a crash stops
# the run and is written to build-fuzz/crashes-*/ — add it to
# tests/fuzz/regressions/ once fixed, so the suite runs it from then on.
#
# usage: build-aux/fuzz.sh SECONDS [fuzz-clean|fuzz-recipe ...]
set -eu
cd "$(dirname "$0")/.."
seconds=${1:?usage: build-aux/fuzz.sh SECONDS [TARGET...]}
shift
targets=${*:-fuzz-clean fuzz-recipe}

if [ ! -f build-fuzz/build.ninja ]; then
    CC=clang meson setup build-fuzz --werror -Dfuzzing=true -Db_sanitize=address,undefined \
        -Db_lundef=false --buildtype=debugoptimized > /dev/null
fi
# shellcheck disable=SC2086
meson compile -C build-fuzz $targets > /dev/null

export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for target in $targets; do
    seeds=tests/fuzz/corpus/${target#fuzz-}
    corpus=build-fuzz/corpus-$target
    crashes=build-fuzz/crashes-$target
    mkdir -p "$corpus" "$crashes"
    echo "$target: $seconds s"
    build-fuzz/tests/fuzz/$target -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" \
        "$corpus" "$seeds" 2>&1 | grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' || true
    if [ -n "$(ls -A "$crashes")" ]; then
        echo "$target: crashes in $crashes"
        status=1
    fi
done
exit $status
