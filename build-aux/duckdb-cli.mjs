// A minimal `duckdb` command on the DuckDB Node bindings from npm: runs the
// SQL script read from the file named on the command line, or from stdin,
// one statement after another, printing the rows a statement returns (tab
// separated), as `duckdb < script.sql` would. Installed beside its
// node_modules by build-aux/install-duckdb.sh.
//
//   duckdb [SCRIPT.sql]          run one script (stdin without a name)
//   duckdb --each A.sql B.sql…   run each script in a database of its own,
//                                printing "ok<TAB>A.sql" or
//                                "error<TAB>A.sql<TAB>message" per script
//                                (one start-up for many scripts, for tests)
//   duckdb --version
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

async function runScript(sql, print) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const statements = await connection.extractStatements(sql);
    for (let i = 0; i < statements.count; i++) {
      const prepared = await statements.prepare(i);
      const reader = await prepared.runAndReadAll();
      if (print && reader.columnCount > 0 && reader.currentRowCount > 0 &&
          !(reader.columnCount === 1 && reader.columnNames()[0] === 'Count'))
        for (const row of reader.getRowsJS())
          console.log(row.map((v) => (v === null ? '' : String(v))).join('\t'));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const args = process.argv.slice(2);
if (args[0] === '--version') {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll('SELECT version()');
  console.log(reader.getRows()[0][0]);
  process.exit(0);
}
if (args[0] === '--each') {
  for (const path of args.slice(1)) {
    try {
      await runScript(readFileSync(path, 'utf8'), false);
      console.log(`ok\t${path}`);
    } catch (e) {
      console.log(`error\t${path}\t${String(e.message).split('\n')[0]}`);
    }
  }
  process.exit(0);
}
try {
  await runScript(readFileSync(args.length > 0 ? args[0] : 0, 'utf8'), true);
} catch (e) {
  process.stderr.write(`Error: ${e.message}\n`);
  process.exit(1);
}
