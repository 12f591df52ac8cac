#!/bin/bash
# Benchmark (not a test): throughput and peak memory of `winnow --batch`
# on generated dirty CSV files, two recipes:
#   R0: drop column notes, drop duplicates, drop rows with any missing field
#   R:  drop column notes, drop duplicates, drop rows missing id or email,
#       fill city with "Unknown", age with the median, income with the mean
# beside the ceiling of a bare libcsv program (parse every field, write it
# back out) and, when Debian's python3-pandas is installed, pandas reading
# every field as text (whose output must be the same bytes).
#
# usage: bench/run.sh [ROWS...]      (default: 1000000 5000000)
# env:   WINNOW_GEN  the generator (default: ../shared/bench/gen_csv.py)
#        RUNS        runs per measurement, the best is kept (default: 3)
#        NO_PANDAS=1 skip pandas
set -euo pipefail
cd "$(dirname "$0")/.."

GEN=${WINNOW_GEN:-../shared/bench/gen_csv.py}
RUNS=${RUNS:-3}
DATA=bench/data
BUILD=build-bench
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
ROWS=("$@")
[ ${#ROWS[@]} -gt 0 ] || ROWS=(1000000 5000000)

if [ ! -f "$GEN" ]; then
    echo "bench: no generator at $GEN (set WINNOW_GEN)" >&2
    exit 1
fi
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release -Dtests=false -Dbench=true >/dev/null
meson compile -C "$BUILD" >/dev/null
WINNOW=$BUILD/src/winnow
CEILING=$BUILD/bench/libcsv-ceiling
mkdir -p "$DATA"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

have_pandas=0
if [ -z "${NO_PANDAS:-}" ] && "$PYTHON" -c 'import pandas' 2>/dev/null; then
    have_pandas=1
fi

# best_of CMD...: runs CMD $RUNS times; prints "seconds peak_kib" of the fastest run
best_of() {
    local best="" rss=""
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >/dev/null 2>&1
        read -r t m < "$OUT/time"
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; fi
    done
    echo "$best $rss"
}

mbps() { awk "BEGIN{printf \"%.0f\", $1 / 1e6 / $2}"; }

printf "%-10s %-8s %9s %9s %10s %s\n" "rows" "what" "seconds" "MB/s" "peak MiB" "notes"
for rows in "${ROWS[@]}"; do
    file="$DATA/gen_$rows.csv"
    if [ ! -f "$file" ]; then
        echo "generating $file ..." >&2
        "$PYTHON" "$GEN" "$rows" > "$file.part" && mv "$file.part" "$file"
    fi
    size=$(stat -c %s "$file")

    read -r t m < <(best_of sh -c "\"$CEILING\" \"$file\" > \"$OUT/ceiling.csv\"")
    printf "%-10s %-8s %9s %9s %10s %s\n" "$rows" "ceiling" "$t" "$(mbps "$size" "$t")" "$((m / 1024))" "bare libcsv, one thread"

    for recipe in r0 r; do
        read -r t m < <(best_of "$WINNOW" --batch --recipe "bench/recipes/$recipe.json" \
                                --force --output "$OUT/winnow.csv" "$file")
        note=""
        if [ "$have_pandas" = 1 ]; then
            /usr/bin/time -f "%e %M" -o "$OUT/time" \
                "$PYTHON" bench/pandas_ref.py "bench/recipes/$recipe.json" "$file" "$OUT/pandas.csv"
            read -r pt pm < "$OUT/time"
            same=no
            cmp -s "$OUT/winnow.csv" "$OUT/pandas.csv" && same=yes
            note="pandas ${pt}s $(mbps "$size" "$pt") MB/s $((pm / 1024)) MiB, $(awk "BEGIN{printf \"%.1f\", $pt / $t}")x slower; same bytes: $same"
        fi
        printf "%-10s %-8s %9s %9s %10s %s\n" "$rows" "$(echo $recipe | tr a-z A-Z)" "$t" "$(mbps "$size" "$t")" "$((m / 1024))" "$note"
    done
done
