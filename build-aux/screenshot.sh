#!/bin/sh
# Screenshots of Winnow under Xvfb, on a fresh database with the bundled
# samples: the empty window, the task list, a task's page, a failed task,
# the configuration dialog and the preferences.
#
# usage: build-aux/screenshot.sh [OUT_DIR]       (default: _build/screenshots)
# needs: xvfb-run, dbus-run-session, imagemagick's import, xwininfo; a
# built _build/.
set -eu
cd "$(dirname "$0")/.."

out=${1:-_build/screenshots}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp data/samples/*.csv "$work/"
# a list with a few tasks reads better than one: copies under other names,
# and one file that fails (unbalanced quotes) to show an error
for name in orders-2026-q3 leads-october suppliers; do
  cp data/samples/customers.csv "$work/$name.csv"
done
printf 'id,name\n1,"unterminated\n' > "$work/export-broken.csv"
binary=$(pwd)/_build/src/winnow
[ -x "$binary" ] || { echo "build first (build-aux/build.sh)" >&2; exit 1; }

export WINNOW_DB="$work/history.db"
export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$(pwd)/_build/data"

# the tasks come from the batch mode, which keeps the same history
"$binary" --batch --recipe data/samples/customers.recipe.json "$work/customers.csv" "$work/orders-2026-q3.csv" "$work/leads-october.csv" \
  "$work/suppliers.csv" "$work/export-broken.csv" > /dev/null || true

xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- sh -c "
  set -e
  shot () { import -window root \"$out/\$1.png\"; }
  # one window by its title (no window manager here: windows overlap)
  shot_window () {
    id=\$(xwininfo -root -tree | grep \"\$2\" | head -1 | awk '{print \$1}')
    import -window \"\$id\" \"$out/\$1.png\"
  }
  WINNOW_DB='$work/empty.db' '$binary' & pid=\$!
  sleep 3; shot empty
  gapplication action io.github.winnow.Winnow quit || kill \$pid
  wait \$pid || true
  '$binary' & pid=\$!
  sleep 3; shot tasks
  gapplication action io.github.winnow.Winnow show-task 'int64 1'
  sleep 2; shot task
  gapplication action io.github.winnow.Winnow show-task 'int64 5'
  sleep 2; shot failed
  '$binary' '$work/customers.csv'
  sleep 3; shot_window dialog 'Clean'
  gapplication action io.github.winnow.Winnow preferences
  sleep 2; shot_window preferences 'Preferences'
  kill \$pid
"
echo "screenshots in $out"
