// A minimal `duckdb` command on the DuckDB Node bindings from npm: runs the
// SQL script read from the file named on the command line, or from stdin,
// one statement after another, printing the rows a statement returns (tab
// separated), as `duckdb < script.sql` would. Installed beside its
// node_modules by build-aux/install-duckdb.sh.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
if (args[0] === '--version') {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll('SELECT version()');
  console.log(reader.getRows()[0][0]);
  process.exit(0);
}
const sql = readFileSync(args.length > 0 ? args[0] : 0, 'utf8');

try {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const statements = await connection.extractStatements(sql);
  for (let i = 0; i < statements.count; i++) {
    const prepared = await statements.prepare(i);
    const reader = await prepared.runAndReadAll();
    if (reader.columnCount > 0 && reader.currentRowCount > 0 &&
        !(reader.columnCount === 1 && reader.columnNames()[0] === 'Count'))
      for (const row of reader.getRowsJS())
        console.log(row.map((v) => (v === null ? '' : String(v))).join('\t'));
  }
} catch (e) {
  process.stderr.write(`Error: ${e.message}\n`);
  process.exit(1);
}
