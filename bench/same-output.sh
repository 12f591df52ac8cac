#!/bin/bash
# Byte identity (not a test): runs another build of `winnow --batch` and
# this tree's release build over the benchmark files and compares their
# outputs and rejected-rows files byte for byte, and their results (the
# JSON summary without elapsed, passes and the profile's means, which may
# differ in the last digits: docs/BEHAVIOUR.md 10).
#
# Files: the generated files of bench/run.sh (gen_ROWS.csv), the same
# with "Oslo" written "Osl\xF6" (read as Windows-1252 from the start), and
# with that only past 90 % of the lines (the late Windows-1252 fallback).
# Recipes: bench/recipes/r0.json, r.json, rx.json (replace, trim,
# keep=last on a subset, every kind of fill, rejected rows) and rh.json
# (fills by a statistic written as holes, among keep=last, rejected rows
# and the formula guard).
#
# usage: bench/same-output.sh REFERENCE [ROWS...]   (default: 1000000 5000000)
#   REFERENCE is a `winnow` program, or a revision of this repository,
#   built once (release) in build-ref-REVISION/: bench/same-output.sh 8f7fea3 1000000
# env:   WINNOW_GEN  the generator (default: ../shared/bench/gen_csv.py)
set -euo pipefail
cd "$(dirname "$0")/.."

REF=${1:?usage: bench/same-output.sh REFERENCE [ROWS...]}
shift
if [ ! -x "$REF" ] || [ -d "$REF" ]; then
    rev=$(git rev-parse --short "$REF^{commit}") || { echo "compare: $REF is neither a program nor a revision" >&2; exit 1; }
    refdir=build-ref-$rev
    if [ ! -x "$refdir/build/src/winnow" ]; then
        echo "building $rev in $refdir ..." >&2
        rm -rf "$refdir" && mkdir -p "$refdir/src"
        git archive "$rev" | tar -x -C "$refdir/src"
        meson setup "$refdir/build" "$refdir/src" --buildtype=release -Dtests=false >/dev/null
        meson compile -C "$refdir/build" >/dev/null
    fi
    REF=$refdir/build/src/winnow
fi
GEN=${WINNOW_GEN:-../shared/bench/gen_csv.py}
DATA=bench/data
BUILD=build-bench
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
ROWS=("$@")
[ ${#ROWS[@]} -gt 0 ] || ROWS=(1000000 5000000)

[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release -Dtests=false -Dbench=true >/dev/null
meson compile -C "$BUILD" >/dev/null
WINNOW=$BUILD/src/winnow
mkdir -p "$DATA"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# same_result A.json B.json: the summaries agree but for what may differ
same_result() {
    "$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
def load(path):
    r = json.load(open(path))["tasks"][0]["result"]
    for key in ("elapsed", "passes"):
        r.pop(key, None)
    for c in r.get("columns", []):
        c.pop("mean", None)
    return r
sys.exit(0 if load(sys.argv[1]) == load(sys.argv[2]) else 1)
EOF
}

failed=0
for rows in "${ROWS[@]}"; do
    plain="$DATA/gen_$rows.csv"
    if [ ! -f "$plain" ]; then
        [ -f "$GEN" ] || { echo "compare: no generator at $GEN (set WINNOW_GEN)" >&2; exit 1; }
        echo "generating $plain ..." >&2
        "$PYTHON" "$GEN" "$rows" > "$plain.part" && mv "$plain.part" "$plain"
    fi
    cp1252="$DATA/gen_${rows}_cp1252.csv"
    [ -f "$cp1252" ] || LC_ALL=C sed 's/Oslo/Osl\xF6/g' "$plain" > "$cp1252"
    late="$DATA/gen_${rows}_late.csv"
    [ -f "$late" ] || LC_ALL=C awk -v from=$((rows * 9 / 10)) \
        'NR > from { gsub("Oslo", "Osl\366") } { print }' "$plain" > "$late"

    for file in "$plain" "$cp1252" "$late"; do
        for recipe in r0 r rx rh; do
            [ "$file" = "$plain" ] || [ "$recipe" != r ] || continue
            for side in ref new; do
                bin=$REF; [ $side = new ] && bin=$WINNOW
                rm -f "$OUT/$side".*
                "$bin" --batch --no-history --json --recipe "bench/recipes/$recipe.json" --force \
                       --output "$OUT/$side.csv" "$file" > "$OUT/$side.json" 2>/dev/null || true
            done
            verdict=same
            cmp -s "$OUT/ref.csv" "$OUT/new.csv" || verdict="OUTPUT DIFFERS"
            if [ -f "$OUT/ref.rejected.csv" ] || [ -f "$OUT/new.rejected.csv" ]; then
                cmp -s "$OUT/ref.rejected.csv" "$OUT/new.rejected.csv" || verdict="$verdict, REJECTS DIFFER"
            fi
            same_result "$OUT/ref.json" "$OUT/new.json" || verdict="$verdict, result differs"
            [ "$verdict" = same ] || failed=1
            printf "%-28s %-3s %s (%s bytes)\n" "$(basename "$file")" "$recipe" "$verdict" \
                   "$(stat -c %s "$OUT/new.csv" 2>/dev/null || echo no)"
        done
    done
done
exit $failed
