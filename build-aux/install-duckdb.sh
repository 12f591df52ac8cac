#!/bin/sh
# Installs DuckDB for the export tests and benchmarks: Debian 12 has no
# duckdb package, so it comes from npm (the DuckDB Node bindings, whose
# prebuilt library is itself an npm package), into .deps/duckdb/ in this
# checkout (ignored by git), with a `duckdb` command that runs a SQL
# script the way `duckdb < script.sql` does. Safe to run again.
#
# usage: build-aux/install-duckdb.sh     then: .deps/duckdb/duckdb script.sql
set -eu
cd "$(dirname "$0")/.."

VERSION=1.5.6-r.1
DIR=.deps/duckdb

if [ -x "$DIR/duckdb" ] && [ -f "$DIR/node_modules/@duckdb/node-api/package.json" ] &&
   grep -q "\"version\": \"$VERSION\"" "$DIR/node_modules/@duckdb/node-api/package.json" &&
   cmp -s build-aux/duckdb-cli.mjs "$DIR/duckdb.mjs"; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "install-duckdb: npm is missing (apt-get install npm); the DuckDB export tests will be skipped" >&2
    exit 0
fi
mkdir -p "$DIR"
echo "Installing DuckDB $VERSION from npm into $DIR"
if ! npm install --silent --no-audit --no-fund --no-save --prefix "$DIR" "@duckdb/node-api@$VERSION"; then
    echo "install-duckdb: npm could not install DuckDB; the DuckDB export tests will be skipped" >&2
    exit 0
fi
cp build-aux/duckdb-cli.mjs "$DIR/duckdb.mjs"
cat > "$DIR/duckdb" <<'SCRIPT'
#!/bin/sh
exec node "$(dirname "$0")/duckdb.mjs" "$@"
SCRIPT
chmod +x "$DIR/duckdb"
"$DIR/duckdb" --version
