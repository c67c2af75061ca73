/**
 * The Parquet half of a conversion alone: every table of a dataset converted with `-f arrow` handed to a new
 * worker thread, as convert's encoder thread is handed chunks, and written by parquet-wasm (ZSTD, the
 * project's writer properties) into memory. Prints the seconds from the worker's spawn to its last byte: its
 * start-up and the encoding, with every chunk ready from the start. A conversion's encoder thread does this
 * work one request after another and cannot begin before the conversion has started, so no conversion of
 * that input ends sooner. Runs dist's modules (npm run bench builds them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * An Arrow IPC file's record batches (the chunks convert wrote) each as an IPC stream of its own, as the encoder
 * thread is sent them; made before the clock starts.
 */
async function streamsOf(file) {
  const { Table, tableFromIPC, tableToIPC } = await import('apache-arrow');
  return tableFromIPC(file).batches.map((b) => tableToIPC(new Table([b]), 'stream'));
}

if (isMainThread) {
  // As bin/netdev-times.js sets them for every run of the CLI (see there).
  setFlagsFromString('--no-lazy-feedback-allocation');
  setFlagsFromString('--wasm-tiering-budget=50000000');
  const dir = process.argv[2];
  const tables = [];
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.arrow')))
    tables.push({ table: f.slice(0, -'.arrow'.length), streams: await streamsOf(readFileSync(join(dir, f))) });
  if (tables.length === 0) throw new Error(`${dir}: no .arrow files (convert with -f arrow)`);
  const t0 = performance.now();
  // Moved, not copied, as the encoder thread's chunks are.
  const transferList = [...new Set(tables.flatMap((t) => t.streams.map((b) => b.buffer)))];
  const worker = new Worker(new URL(import.meta.url), { workerData: tables, transferList });
  worker.on('message', (bytes) => {
    process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000, bytes }) + '\n');
  });
  worker.on('error', (e) => {
    process.stderr.write(`parquet-only: ${e.message}\n`);
    process.exitCode = 1;
  });
} else {
  const { WasmParquetWriter } = await import('../dist/formats/parquet/writer.js');
  const { tableSpec } = await import('../dist/tables/schema.js');
  let bytes = 0;
  const sink = {
    bytes: 0,
    write(b) {
      bytes += b.length;
    },
    async close() {},
    abort() {},
  };
  for (const { table, streams } of workerData) {
    const writer = new WasmParquetWriter(sink, tableSpec(table), { metadata: new Map() });
    for (const stream of streams) await writer.writeIpc(stream);
    await writer.close();
  }
  parentPort?.postMessage(bytes);
}
