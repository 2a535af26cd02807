// DuckDB on the same files as Meterflow, for bench/run: the strongest general tool a user could
// pick instead. Two threads (the machine's cores), a persistent database file, the schema given
// (as a user who knows the files would; type sniffing of every file costs DuckDB far more).
//
//   node bench/duckdb.mjs load <db file> <folder of CSVs>        -> "seconds=S rows=N bytes=B"
//   node bench/duckdb.mjs export <db file> <out.csv> <interval>   -> "seconds=S rows=N"
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';

const [command, db, a, b] = process.argv.slice(2);
const instance = await DuckDBInstance.create(db, { threads: '2' });
const con = await instance.connect();
const t0 = performance.now();
let rows;
if (command === 'load') {
  const first = fs.readdirSync(a).filter(f => f.endsWith('.csv')).sort()[0];
  const header = fs.readFileSync(`${a}/${first}`, 'utf8').split('\n')[0].trim().split(',');
  const columns = '{' + header.map(h => `'${h}': '${h === 'timestamp' ? 'TIMESTAMPTZ' : 'DOUBLE'}'`).join(', ') + '}';
  await con.run(`CREATE OR REPLACE TABLE readings AS SELECT * FROM read_csv('${a}/*.csv',
      header = true, auto_detect = false, columns = ${columns})`);
  await con.run('CHECKPOINT'); // on disk, like a committed ingest
  rows = (await con.runAndReadAll('SELECT count(*) FROM readings')).getRows()[0][0];
} else if (command === 'export') {
  const names = (await con.runAndReadAll('SELECT * FROM readings LIMIT 0')).columnNames()
    .filter(c => c !== 'timestamp');
  const means = names.map(c => `avg("${c}") AS "${c}"`).join(', ');
  await con.run(`COPY (SELECT time_bucket(INTERVAL '${b}', "timestamp") AS "timestamp", ${means}
      FROM readings GROUP BY 1 ORDER BY 1) TO '${a}' (HEADER)`);
  rows = fs.readFileSync(a, 'utf8').split('\n').length - 2;
} else {
  console.error('usage: node bench/duckdb.mjs load|export ...');
  process.exit(2);
}
const seconds = (performance.now() - t0) / 1000;
instance.closeSync?.();
const bytes = command === 'load' ? fs.statSync(db).size : 0;
console.log(`seconds=${seconds.toFixed(3)} rows=${rows} bytes=${bytes}`);
