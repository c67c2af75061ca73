import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

let conn: DuckDBConnection | null = null;

export async function duck(): Promise<DuckDBConnection> {
  if (!conn) conn = await (await DuckDBInstance.create(':memory:')).connect();
  return conn;
}

export async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const r = await (await duck()).runAndReadAll(sql);
  return r.getRowObjects();
}

export async function types(sql: string): Promise<Record<string, string>> {
  const r = await (await duck()).runAndReadAll(`DESCRIBE ${sql}`);
  const out: Record<string, string> = {};
  for (const row of r.getRowObjects()) out[String(row.column_name)] = String(row.column_type);
  return out;
}
