#!/bin/sh
# Installs what is missing, builds, and runs Winnow: until the window
# exists, a batch run over the bundled dirty sample, printing its summary.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh
./build-aux/build.sh

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./_build/src/winnow --batch --recipe data/samples/customers.recipe.json \
    --output-dir "$out" data/samples/customers.csv
echo
echo "The cleaned sample:"
cat "$out/customers.cleaned.csv"
