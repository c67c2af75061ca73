/** --dev on the correlated tables: hunks by their IRQs' names, rows that wait for their hunk's verdict. */
import { describe, expect, it } from 'vitest';
import { dictColumnOf, intColumnOf, type TableChunk } from '../../src/core/columns.js';
import { StringTable } from '../../src/core/strings.js';
import { DevFilter, devEvents } from '../../src/correlate/dev-filter.js';
import { selectRows } from '../../src/tables/select-rows.js';
import { chunkRows, type Row } from '../correlate/helpers.js';

const names = new StringTable();

/** A chunk of an int32 hunk_id column (null for null) and a dictionary column `name`. */
function chunk(hunks: (number | null)[], name: string, values: (string | null)[]): TableChunk {
  const n = hunks.length;
  return {
    length: n,
    columns: {
      hunk_id: intColumnOf(
        Int32Array.from(hunks, (h) => h ?? 0),
        Uint8Array.from(hunks, (h) => (h === null ? 0 : 1)),
      ),
      [name]: dictColumnOf(
        Int32Array.from(values, (v) => (v === null ? -1 : names.idOf(v))),
        names,
      ),
    },
  };
}

function run(): { filter: DevFilter; out: [string, Row[]][] } {
  const out: [string, Row[]][] = [];
  return { filter: new DevFilter('virtio2', (table, c) => out.push([table, chunkRows(c)])), out };
}

describe('DevFilter', () => {
  it('keeps a hunk when one of its IRQs is named so, with every row of it, once its IRQs are all in', () => {
    const { filter, out } = run();
    // Packets come before the IRQs that decide their hunks: they wait.
    filter.push('rx_packets', chunk([0, 1, null, null, 2], 'dev', ['eth0', 'eth0', 'lo', 'virtio2x', 'eth0']));
    expect(out).toEqual([]);
    filter.push('rx_irqs', chunk([0, 0, 1, 2], 'irq_name', ['other', 'virtio2-input.0', 'other', 'virtio2-output.0']));
    // Hunks 0 and 1 are known (an IRQ of hunk 2 came); hunk 2 may have more IRQs still.
    expect(out).toEqual([
      [
        'rx_packets',
        [
          { hunk_id: 0, dev: 'eth0' },
          { hunk_id: null, dev: 'virtio2x' },
        ],
      ],
      [
        'rx_irqs',
        [
          { hunk_id: 0, irq_name: 'other' },
          { hunk_id: 0, irq_name: 'virtio2-input.0' },
        ],
      ],
    ]);
    out.length = 0;
    filter.finish();
    expect(out).toEqual([
      ['rx_packets', [{ hunk_id: 2, dev: 'eth0' }]],
      ['rx_irqs', [{ hunk_id: 2, irq_name: 'virtio2-output.0' }]],
    ]);
  });

  it('keeps transmits by their own device, passes other tables through', () => {
    const { filter, out } = run();
    filter.push('tx_packets', chunk([null, null], 'dev', ['eth0', 'virtio2']));
    filter.push('lost', chunk([null], 'dev', ['eth0']));
    expect(out).toEqual([
      ['tx_packets', [{ hunk_id: null, dev: 'virtio2' }]],
      ['lost', [{ hunk_id: null, dev: 'eth0' }]],
    ]);
  });
});

describe('devEvents and selectRows', () => {
  it('keeps events whose device or IRQ name holds the name; null names do not', () => {
    const c: TableChunk = {
      length: 3,
      columns: {
        dev: dictColumnOf(Int32Array.from([names.idOf('eth0'), -1, -1]), names),
        irq_name: dictColumnOf(Int32Array.from([-1, names.idOf('virtio2-input.0'), -1]), names),
      },
    };
    expect(chunkRows(devEvents('virtio2', c) ?? c)).toEqual([{ dev: null, irq_name: 'virtio2-input.0' }]);
    expect(devEvents('nothing', c)).toBeNull();
  });

  it('copies rows of every column kind', () => {
    const t = new BigInt64Array([5n, -6n, 7n]);
    const c: TableChunk = {
      length: 3,
      columns: {
        t: { kind: 'int64', values: t, words: new Uint32Array(t.buffer), valid: Uint8Array.from([1, 0, 1]) },
        s: { kind: 'utf8', values: ['a', null, 'c'] },
        l: {
          kind: 'list_utf8',
          start: Int32Array.from([0, 1, 1]),
          end: Int32Array.from([1, 1, 3]),
          items: ['f0', 'g0', 'g1'],
          valid: Uint8Array.from([1, 0, 1]),
        },
      },
    };
    const picked = selectRows(c, Int32Array.from([0, 2]));
    expect(picked.length).toBe(2);
    const tt = picked.columns.t;
    const l = picked.columns.l;
    expect(tt.kind === 'int64' && Array.from(tt.values)).toEqual([5n, 7n]);
    expect(picked.columns.s).toEqual({ kind: 'utf8', values: ['a', 'c'] });
    expect(l.kind === 'list_utf8' && [Array.from(l.start), Array.from(l.end), l.items]).toEqual([
      [0, 1],
      [1, 3],
      ['f0', 'g0', 'g1'],
    ]);
  });
});
