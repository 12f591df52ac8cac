#!/bin/bash
# Benchmark (not a test): throughput and peak memory of `winnow --batch`
# on generated dirty CSV files, two recipes:
#   R0: drop column notes, drop duplicates, drop rows with any missing field
#   R:  drop column notes, drop duplicates, drop rows missing id or email,
#       fill city with "Unknown", age with the median, income with the mean
#   R0P: R0 with --json, Winnow alone: with no history and no --json a run
#       makes no column profiles (no one would see them), which the
#       window's runs and those with a history do; this shows their cost
#   RN: R without its fills (bench/recipes/rn.json), Winnow alone: R keeps
#       rows R0 drops (851,512 of a million against 594,163), so R / R0
#       holds more than the fills; R / RN is what the fills cost
# beside the ceiling of a bare libcsv program (parse every field, write it
# back out) and the programs `winnow --batch --export` writes for the same
# recipe, each when its engine is installed: pandas (python3-pandas), Dask
# on a LocalCluster of one process per core (python3-dask,
# python3-distributed) and DuckDB (build-aux/install-duckdb.sh). Each
# program's output is compared with Winnow's ("same bytes").
#
# usage: bench/run.sh [ROWS...]      (default: 1000000 5000000)
# env:   WINNOW_GEN  the generator (default: ../shared/bench/gen_csv.py)
#        RUNS        rounds: each round runs the ceiling and each recipe
#                    once, in turn, and the fastest run of each is kept
#                    (default: 3; the exported programs run once)
#        ENGINES     which programs to run (default: "pandas dask duckdb";
#                    "" for Winnow alone)
# Prints the ratios issue 18 asks for: R0 / ceiling, R / R0, R's peak
# memory, and four files at once with --jobs 2 against --jobs 1; and
# R / RN.
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

DUCKDB=.deps/duckdb/duckdb
ENGINES=${ENGINES-pandas dask duckdb}
# have ENGINE: is the engine installed?
have() {
    case "$1" in
        pandas) "$PYTHON" -c 'import pandas' 2>/dev/null ;;
        dask) "$PYTHON" -c 'import dask.dataframe, distributed' 2>/dev/null ;;
        duckdb) [ -x "$DUCKDB" ] ;;
    esac
}

# fresh FILE...: before each timed run of any program, the output its
# run before left (FILE...) is deleted and the file system synced,
# outside the timing: on a file system mounted with `discard`, freeing a
# 250 MB output took 70-100 ms, paid inside the next run by whoever
# replaced the file or synced first; and a program that never syncs was
# slowed by the dirty pages the runs before it left.
fresh() {
    rm -rf "$@"
    mkdir -p "$OUT/jobs"
    sync
}

# timed CMD...: runs CMD once; prints "seconds peak_kib". The time is
# read to the nanosecond: /usr/bin/time gives hundredths, 5 % of a
# 0.2 s run.
timed() {
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$OUT/time" "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo "$(awk "BEGIN{printf \"%.3f\", ($end - $start) / 1e9}") $(cat "$OUT/time")"
}

# rounds NAME...: runs each program (run_NAME) once a round, in turn,
# $RUNS rounds, and keeps the fastest run of each in best[NAME] and its
# peak memory in peak[NAME]. Interleaved, so that a slow spell of the
# machine (it is shared) slows every program of the ratios alike rather
# than the ones that ran in it.
declare -A best peak
rounds() {
    local name t m
    for name in "$@"; do unset "best[$name]" "peak[$name]"; done
    for _ in $(seq "$RUNS"); do
        for name in "$@"; do
            read -r t m < <("run_$name")
            if [ -z "${best[$name]:-}" ] || awk "BEGIN{exit !($t < ${best[$name]})}"; then
                best[$name]=$t
                peak[$name]=$m
            fi
        done
    done
}

mbps() { awk "BEGIN{printf \"%.0f\", $1 / 1e6 / $2}"; }

printf "%-10s %-4s %-8s %9s %9s %10s %s\n" "rows" "" "what" "seconds" "MB/s" "peak MiB" "notes"
for rows in "${ROWS[@]}"; do
    file="$DATA/gen_$rows.csv"
    if [ ! -f "$file" ]; then
        echo "generating $file ..." >&2
        "$PYTHON" "$GEN" "$rows" > "$file.part" && mv "$file.part" "$file"
    fi
    size=$(stat -c %s "$file")

    run_ceiling() { fresh "$OUT/ceiling.csv"; timed sh -c "\"$CEILING\" \"$file\" > \"$OUT/ceiling.csv\""; }
    run_winnow() {
        fresh "$OUT/winnow-$1.csv"
        timed "$WINNOW" --batch --no-history --recipe "bench/recipes/$1.json" --force \
              --output "$OUT/winnow-$1.csv" "${@:2}" "$file"
    }
    run_r0() { run_winnow r0; }
    run_r0p() { run_winnow r0 --json; }
    run_rn() { run_winnow rn; }
    run_r() { run_winnow r; }
    rounds ceiling r0 r0p rn r
    ceiling=${best[ceiling]}
    printf "%-10s %-4s %-8s %9s %9s %10s %s\n" "$rows" "" "ceiling" "$ceiling" "$(mbps "$size" "$ceiling")" \
           "$((${peak[ceiling]} / 1024))" "bare libcsv, one thread"
    r0_time=${best[r0]}; rn_time=${best[rn]}; r_time=${best[r]}; r_peak=$((${peak[r]} / 1024))
    for recipe in r0 rn r; do
        t=${best[$recipe]}
        R=$(echo $recipe | tr a-z A-Z)
        printf "%-10s %-4s %-8s %9s %9s %10s %s\n" "$rows" "$R" "winnow" "$t" "$(mbps "$size" "$t")" \
               "$((${peak[$recipe]} / 1024))" "$(wc -l < "$OUT/winnow-$recipe.csv") lines out"
        if [ $recipe = r0 ]; then
            printf "%-10s %-4s %-8s %9s %9s %10s %s\n" "$rows" "R0P" "winnow" "${best[r0p]}" \
                   "$(mbps "$size" "${best[r0p]}")" "$((${peak[r0p]} / 1024))" \
                   "R0 with the column profiles (--json)"
        fi
        [ $recipe != rn ] || continue  # a yardstick of Winnow's own
        for engine in $ENGINES; do
            have "$engine" || { echo "bench: $engine is not installed; skipped" >&2; continue; }
            fresh "$OUT/$engine.csv"
            case "$engine" in
                duckdb)
                    "$WINNOW" --batch --export duckdb --recipe "bench/recipes/$recipe.json" "$file" "$OUT/$engine.csv" > "$OUT/clean.sql"
                    run=("$DUCKDB" "$OUT/clean.sql") ;;
                *)
                    "$WINNOW" --batch --export "$engine" --recipe "bench/recipes/$recipe.json" > "$OUT/clean.py"
                    run=("$PYTHON" "$OUT/clean.py" "$file" "$OUT/$engine.csv") ;;
            esac
            /usr/bin/time -f "%e %M" -o "$OUT/time" "${run[@]}" > /dev/null 2> "$OUT/err" || { cat "$OUT/err" >&2; continue; }
            read -r et em < "$OUT/time"
            note="$(awk "BEGIN{printf \"%.1f\", $et / $t}")x Winnow's time; same bytes: "
            if cmp -s "$OUT/winnow-$recipe.csv" "$OUT/$engine.csv"; then note="${note}yes"; else note="${note}no"; fi
            printf "%-10s %-4s %-8s %9s %9s %10s %s\n" "$rows" "$R" "$engine" "$et" "$(mbps "$size" "$et")" "$((em / 1024))" "$note"
        done
    done
    printf "%-10s ratios: R0 / ceiling %s (target <= 0.65; profiled: %s), R / R0 %s (target <= 1.15)," \
           "$rows" "$(awk "BEGIN{printf \"%.2f\", $r0_time / $ceiling}")" \
           "$(awk "BEGIN{printf \"%.2f\", ${best[r0p]} / $ceiling}")" \
           "$(awk "BEGIN{printf \"%.2f\", $r_time / $r0_time}")"
    printf " R peak %s MiB (5M: target < 200), R / RN %s\n" "$r_peak" \
           "$(awk "BEGIN{printf \"%.2f\", $r_time / $rn_time}")"
done

# Four files of the first size at once: --jobs 2 against one after another
# (--jobs 1); parse threads and jobs share the cores (issue: no
# oversubscription), so the first must not be slower.
rows=${ROWS[0]}
# (named by their size: files of another size left by an earlier run
# would otherwise be taken for these)
for i in 1 2 3 4; do
    [ -f "$DATA/jobs_${rows}_$i.csv" ] || ln -f "$DATA/gen_$rows.csv" "$DATA/jobs_${rows}_$i.csv" 2>/dev/null ||
        cp "$DATA/gen_$rows.csv" "$DATA/jobs_${rows}_$i.csv"
done
run_jobs() {
    fresh "$OUT/jobs"
    timed "$WINNOW" --batch --no-history --recipe bench/recipes/r.json --force \
          --jobs "$1" --output-dir "$OUT/jobs" "$DATA"/jobs_"${rows}"_[1-4].csv
}
run_jobs1() { run_jobs 1; }
run_jobs2() { run_jobs 2; }
rounds jobs1 jobs2
for jobs in 1 2; do
    printf "%-10s %-4s %-8s %9s %9s %10s %s\n" "4x$rows" "R" "jobs $jobs" "${best[jobs$jobs]}" "" \
           "$((${peak[jobs$jobs]} / 1024))" ""
done
printf "%-10s ratios: --jobs 2 / --jobs 1 %s (target <= 1.05)\n" "4x$rows" \
       "$(awk "BEGIN{printf \"%.2f\", ${best[jobs2]} / ${best[jobs1]}}")"
