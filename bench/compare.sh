#!/bin/bash
# Benchmark (not a test): this tree's `winnow --batch` against an earlier
# revision's, on the same generated file, runs interleaved so that a busy
# machine slows both alike. Prints, per recipe, the best CPU time (user +
# system) and wall time of each and their ratios (this tree / REV), and
# whether the two outputs are the same bytes.
#
# usage: bench/compare.sh REV [ROWS]      (ROWS default: 1000000)
# env:   WINNOW_GEN  the generator (default: ../shared/bench/gen_csv.py)
#        RUNS        runs of each, interleaved (default: 5)
#        RECIPES     recipe files (default: bench/recipes/r0.json r.json)
set -euo pipefail
cd "$(dirname "$0")/.."

REV=${1:?usage: bench/compare.sh REV [ROWS]}
ROWS=${2:-1000000}
GEN=${WINNOW_GEN:-../shared/bench/gen_csv.py}
RUNS=${RUNS:-5}
RECIPES=${RECIPES:-bench/recipes/r0.json bench/recipes/r.json}
DATA=bench/data
THEIRS=build-compare/$REV
OURS=build-bench

[ -f "$GEN" ] || { echo "compare: no generator at $GEN (set WINNOW_GEN)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "compare: needs /usr/bin/time" >&2; exit 1; }

# The earlier revision, in a worktree of its own, built for release once.
if [ ! -x "$THEIRS/build/src/winnow" ]; then
    rm -rf "$THEIRS"
    mkdir -p build-compare
    git worktree add --detach "$THEIRS" "$REV" >/dev/null
    meson setup "$THEIRS/build" "$THEIRS" --buildtype=release -Dtests=false >/dev/null
    meson compile -C "$THEIRS/build" >/dev/null
fi
[ -f "$OURS/build.ninja" ] || meson setup "$OURS" --buildtype=release -Dtests=false -Dbench=true >/dev/null
meson compile -C "$OURS" >/dev/null

mkdir -p "$DATA"
INPUT=$DATA/rows-$ROWS.csv
[ -f "$INPUT" ] || python3 "$GEN" "$ROWS" > "$INPUT"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# run NAME RECIPE: one run of build NAME; prints "cpu wall"
run() {
    local winnow=$THEIRS/build/src/winnow
    [ "$1" = ours ] && winnow=$OURS/src/winnow
    /usr/bin/time -f "%U %S %e" -o "$OUT/time" \
        "$winnow" --batch --no-history --recipe "$2" -f -o "$OUT/$1.csv" "$INPUT" >/dev/null 2>&1
    awk '{ printf "%.2f %.2f\n", $1 + $2, $3 }' "$OUT/time"
}

min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? a : b }'; }

echo "$ROWS rows, $RUNS runs each, interleaved: this tree against $REV"
for recipe in $RECIPES; do
    theirs_cpu=1e9; theirs_wall=1e9; ours_cpu=1e9; ours_wall=1e9
    for _ in $(seq "$RUNS"); do
        read -r c w < <(run theirs "$recipe"); theirs_cpu=$(min "$c" "$theirs_cpu"); theirs_wall=$(min "$w" "$theirs_wall")
        read -r c w < <(run ours "$recipe"); ours_cpu=$(min "$c" "$ours_cpu"); ours_wall=$(min "$w" "$ours_wall")
    done
    same="different bytes"
    cmp -s "$OUT/theirs.csv" "$OUT/ours.csv" && same="same bytes"
    awk -v r="$(basename "$recipe" .json)" -v tc="$theirs_cpu" -v oc="$ours_cpu" \
        -v tw="$theirs_wall" -v ow="$ours_wall" -v s="$same" \
        'BEGIN { printf "%-4s CPU %.2f s -> %.2f s (x%.2f)   wall %.2f s -> %.2f s (x%.2f)   %s\n",
                 r, tc, oc, oc / tc, tw, ow, ow / tw, s }'
done
