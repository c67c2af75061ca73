/**
 * Made-up rows of a table through the same IPC encoder and Parquet writer a conversion uses, written
 * nowhere. WebAssembly compiles each function on its first call: arrow-rs's IPC reader and Parquet writer
 * took ~0.3 s of compiling on the first batches here. The encoder thread does this while the main thread is
 * still opening its input and decoding the first batch, so the real chunks find the code compiled.
 */
import { StringTable } from '../../decode/strings.js';
import { dictColumn, i64Column, intColumn, u64Column, type Column, type TableChunk } from '../../normalise/columns.js';
import type { ByteSink } from '../byte-sink.js';
import { WasmParquetWriter } from '../parquet-wasm-writer.js';
import type { TableSpec } from '../schema.js';

/** Rows of every column type of `spec`, with nulls in the nullable ones (every third row). */
export function warmUpChunk(spec: TableSpec, rows: number): TableChunk {
  const names = new StringTable();
  for (let k = 0; k < 8; k++) names.idOf(`name-${k}`);
  const isNull = (c: { nullable: boolean }, i: number): boolean => c.nullable && i % 3 === 0;
  const columns: Record<string, Column> = {};
  for (const c of spec.columns) {
    switch (c.type) {
      case 'int32': {
        const col = intColumn(rows);
        for (let i = 0; i < rows; i++) {
          col.values[i] = i * 7;
          col.valid[i] = isNull(c, i) ? 0 : 1;
        }
        columns[c.name] = col;
        break;
      }
      case 'int64':
      case 'uint64': {
        const col = c.type === 'int64' ? i64Column(rows) : u64Column(rows);
        for (let i = 0; i < rows; i++) {
          col.words[2 * i] = i * 1000;
          col.words[2 * i + 1] = 0xffff8881;
          col.valid[i] = isNull(c, i) ? 0 : 1;
        }
        columns[c.name] = col;
        break;
      }
      case 'utf8': {
        if (c.dictionary) {
          const col = dictColumn(rows, names);
          for (let i = 0; i < rows; i++) if (!isNull(c, i)) col.ids[i] = i % 8;
          columns[c.name] = col;
        } else {
          columns[c.name] = { kind: 'utf8', values: Array.from({ length: rows }, (_, i) => (isNull(c, i) ? null : `text of row ${i}`)) };
        }
        break;
      }
      case 'list<utf8>': {
        const start = new Int32Array(rows);
        const end = new Int32Array(rows);
        const valid = new Uint8Array(rows);
        for (let i = 0; i < rows; i++) {
          start[i] = i % 5;
          end[i] = 5;
          valid[i] = isNull(c, i) ? 0 : 1;
        }
        columns[c.name] = { kind: 'list_utf8', start, end, valid, items: ['a', 'b', 'c', 'd', 'e'] };
        break;
      }
    }
  }
  return { length: rows, columns };
}

const nowhere: ByteSink = { bytes: 0, write: () => undefined, close: async () => undefined, abort: () => undefined };

/** Encodes made-up rows of `spec` as a conversion would, and drops the bytes. */
export async function warmUp(spec: TableSpec, rows = 1024): Promise<void> {
  const w = new WasmParquetWriter(nowhere, spec, { metadata: new Map(), rowGroupRows: rows / 2 });
  await w.write(warmUpChunk(spec, rows));
  await w.close();
}
