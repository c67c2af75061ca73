/** A table with every column kind the Parquet encoder takes, and seeded rows for it (values at their limits). */
import { Random } from '../../src/bench/random.js';
import { StringTable } from '../../src/decode/strings.js';
import type { TableChunk } from '../../src/normalise/columns.js';
import type { TableSpec } from '../../src/emit/schema.js';

export const SPEC: TableSpec = {
  table: 'everything',
  version: '0.0.1',
  description: 'every column kind the encoder takes',
  columns: [
    { name: 'row', type: 'int32', nullable: false, description: '' },
    { name: 'small', type: 'int32', nullable: true, description: 'few distinct values: dictionary' },
    { name: 'wide', type: 'int32', nullable: true, description: 'many distinct values: dictionary then DELTA' },
    { name: 'time', type: 'int64', nullable: false, description: 'sorted with jumps beyond 2^52' },
    { name: 'signed', type: 'int64', nullable: true, description: 'negative and positive' },
    { name: 'addr', type: 'uint64', nullable: true, description: 'pointers, some >= 2^63' },
    { name: 'uniq', type: 'uint64', nullable: false, description: 'all distinct: dictionary then PLAIN' },
    { name: 'name', type: 'utf8', dictionary: true, nullable: true, description: 'interned ids' },
    { name: 'label', type: 'utf8', dictionary: true, nullable: false, description: 'JS strings, dictionary declared' },
    { name: 'text', type: 'utf8', nullable: true, description: 'JS strings, plain' },
    { name: 'raw', type: 'utf8', nullable: true, description: 'byte spans of an arena' },
    { name: 'frames', type: 'list<utf8>', nullable: true, description: 'null, empty and long lists' },
  ],
};

export const N = 70000;
const NAMES = ['lo', 'eth0', '(no_device)', 'café ☕', '', 'virtio2-input.0'];

export interface Source {
  row: number[];
  small: (number | null)[];
  wide: (number | null)[];
  time: bigint[];
  signed: (bigint | null)[];
  addr: (bigint | null)[];
  uniq: bigint[];
  name: (string | null)[];
  label: string[];
  text: (string | null)[];
  raw: (string | null)[];
  frames: (string[] | null)[];
}

export function source(seed: number, n = N): Source {
  const r = new Random(seed);
  const s: Source = { row: [], small: [], wide: [], time: [], signed: [], addr: [], uniq: [], name: [], label: [], text: [], raw: [], frames: [] };
  let t = 1541_804814724n;
  for (let i = 0; i < n; i++) {
    // Nulls come in runs (i in a block of 300) and alternating (every third row) and not at all elsewhere.
    const nully = (i % 3000 < 300) || (i % 3000 > 2000 && i % 3 === 0);
    s.row.push(i);
    s.small.push(nully ? null : r.pick([0, 1, -1, 64, 2147483647, -2147483648]));
    s.wide.push(nully ? null : r.int(-2147483648, 2147483647));
    t += i % 20000 === 19999 ? 1n << 60n : BigInt(r.int(0, 50000));
    s.time.push(t);
    s.signed.push(nully ? null : BigInt(r.int(-1e9, 1e9)) * (i % 7 === 0 ? 1n << 30n : 1n) - (i % 11 === 0 ? 1n << 62n : 0n));
    s.addr.push(nully ? null : r.pick([0n, 0xffff888134fa90e0n, 0xffff88818012b300n, (1n << 64n) - 1n, 1n << 63n]));
    s.uniq.push(0xffff000000000000n + BigInt(i) * 64n);
    s.name.push(nully ? null : r.pick(NAMES));
    s.label.push(r.pick(NAMES) + String(i % 5));
    s.text.push(nully ? null : `payload ${i} ${'ü'.repeat(i % 4)}`);
    s.raw.push(nully ? null : `raw=${r.int(0, 99)}`);
    const f = i % 5 === 0 ? null : i % 5 === 1 ? [] : Array.from({ length: r.int(1, 6) }, () => `0x${r.int(0, 400).toString(16)} sym+0x${r.int(0, 9)}`);
    s.frames.push(i % 10000 < 2000 && f !== null ? f.map((x) => `${x} ${r.int(0, 1e6)}`) : f);
  }
  return s;
}

const enc = new TextEncoder();

/** Rows [from, to) of the source as a TableChunk of the column kinds the pipeline produces. */
export function chunkOf(s: Source, from: number, to: number, names: StringTable): TableChunk {
  const n = to - from;
  const int = (v: (number | null)[]): TableChunk['columns'][string] => {
    const values = new Int32Array(n);
    const valid = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x = v[from + i];
      if (x !== null) {
        values[i] = x;
        valid[i] = 1;
      }
    }
    return { kind: 'int32', values, valid };
  };
  const wide = (v: (bigint | null)[], kind: 'int64' | 'uint64'): TableChunk['columns'][string] => {
    const valid = new Uint8Array(n);
    if (kind === 'int64') {
      const values = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const x = v[from + i];
        if (x !== null) {
          values[i] = x;
          valid[i] = 1;
        }
      }
      return { kind, values, words: new Uint32Array(values.buffer), valid };
    }
    const values = new BigUint64Array(n);
    for (let i = 0; i < n; i++) {
      const x = v[from + i];
      if (x !== null) {
        values[i] = x;
        valid[i] = 1;
      }
    }
    return { kind, values, words: new Uint32Array(values.buffer), valid };
  };
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = s.name[from + i];
    ids[i] = x === null ? -1 : names.idOf(x);
  }
  const arena = new Uint8Array(n * 16);
  let used = 0;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const rawValid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = s.raw[from + i];
    start[i] = used;
    if (x !== null) {
      used += enc.encodeInto(x, arena.subarray(used)).written;
      rawValid[i] = 1;
    }
    end[i] = used;
  }
  const items: string[] = [];
  const fs = new Int32Array(n);
  const fe = new Int32Array(n);
  const fv = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = s.frames[from + i];
    fs[i] = items.length;
    if (f !== null) {
      items.push(...f);
      fv[i] = 1;
    }
    fe[i] = items.length;
  }
  return {
    length: n,
    columns: {
      row: int(s.row),
      small: int(s.small),
      wide: int(s.wide),
      time: wide(s.time, 'int64'),
      signed: wide(s.signed, 'int64'),
      addr: wide(s.addr, 'uint64'),
      uniq: wide(s.uniq, 'uint64'),
      name: { kind: 'dict', ids, table: names },
      label: { kind: 'utf8', values: s.label.slice(from, to) },
      text: { kind: 'utf8', values: s.text.slice(from, to) },
      raw: { kind: 'utf8_spans', arena, start, end, valid: rawValid },
      frames: { kind: 'list_utf8', start: fs, end: fe, items, valid: fv },
    },
  };
}

