// Runs SQL for notebooks/tools/duckdb.py: one JSON request per stdin line ({"sql", "params"}), one JSON reply
// per stdout line ({"columns", "types", "rows"} or {"error"}), on one DuckDB connection (@duckdb/node-api).
import { createInterface } from 'node:readline';
import { DuckDBInstance, version } from '@duckdb/node-api';

const db = await DuckDBInstance.create(process.argv[2] ?? ':memory:');
const con = await db.connect();
process.stdout.write(JSON.stringify({ ready: true, version: version() }) + '\n');
for await (const line of createInterface({ input: process.stdin })) {
  let reply;
  try {
    const { sql, params } = JSON.parse(line);
    const r = await con.runAndReadAll(sql, params ?? undefined);
    reply = { columns: r.columnNames(), types: r.columnTypes().map((t) => t.toString()), rows: r.getRowsJson() };
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
}
