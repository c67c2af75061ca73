/** Some rows of a table chunk, as a new chunk: the columns copied compactly, whatever their kind. */
import { dictColumnOf, i64Column, intColumnOf, u64Column, type Column, type TableChunk } from '../core/columns.js';

/** The rows `rows` (ascending indices) of `chunk`, in that order. Nothing of `chunk` is shared but dictionaries and arenas. */
export function selectRows(chunk: TableChunk, rows: Int32Array): TableChunk {
  const columns: Record<string, Column> = {};
  for (const [name, c] of Object.entries(chunk.columns)) columns[name] = selectColumn(c, rows);
  return { length: rows.length, columns };
}

function selectColumn(c: Column, rows: Int32Array): Column {
  const n = rows.length;
  switch (c.kind) {
    case 'int32': {
      const values = new Int32Array(n);
      const valid = new Uint8Array(n);
      for (let k = 0; k < n; k++) {
        values[k] = c.values[rows[k]];
        valid[k] = c.valid[rows[k]];
      }
      return intColumnOf(values, valid);
    }
    case 'int64':
    case 'uint64': {
      const out = c.kind === 'int64' ? i64Column(n) : u64Column(n);
      // Word by word: no BigInt made per row.
      for (let k = 0; k < n; k++) {
        out.words[2 * k] = c.words[2 * rows[k]];
        out.words[2 * k + 1] = c.words[2 * rows[k] + 1];
        out.valid[k] = c.valid[rows[k]];
      }
      return out;
    }
    case 'dict': {
      const ids = new Int32Array(n);
      for (let k = 0; k < n; k++) ids[k] = c.ids[rows[k]];
      return dictColumnOf(ids, c.table);
    }
    case 'utf8':
      return { kind: 'utf8', values: Array.from(rows, (r) => c.values[r]) };
    case 'list_utf8': {
      const start = new Int32Array(n);
      const end = new Int32Array(n);
      const valid = new Uint8Array(n);
      const items: string[] = [];
      for (let k = 0; k < n; k++) {
        const r = rows[k];
        start[k] = items.length;
        for (let j = c.start[r]; j < c.end[r]; j++) items.push(c.items[j]);
        end[k] = items.length;
        valid[k] = c.valid[r];
      }
      return { kind: 'list_utf8', start, end, items, valid };
    }
    case 'utf8_spans': {
      const start = new Int32Array(n);
      const end = new Int32Array(n);
      const valid = new Uint8Array(n);
      for (let k = 0; k < n; k++) {
        start[k] = c.start[rows[k]];
        end[k] = c.end[rows[k]];
        valid[k] = c.valid[rows[k]];
      }
      return { kind: 'utf8_spans', arena: c.arena, start, end, valid };
    }
  }
}
