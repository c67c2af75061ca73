/**
 * `--dev NAME` on the tables, with the meaning the reference's `dev=NAME` has in its report: a substring of a
 * device or an IRQ name. A receive hunk is kept when one of its IRQs' names holds NAME, and with it every row
 * of that hunk (rx_irqs, rx_irq_events, rx_napi_polls, and the rx_packets of its event list, whatever their
 * own device); a transmit lifecycle when its device holds NAME. Rows with no hunk keep their own device: an
 * rx_packets row without hunk (loopback has no hard IRQs) is kept when its `dev` holds NAME. The verdict on
 * hunk h is known once an IRQ of a later hunk (or the end) has come, since rx_irqs rows come in hunk order:
 * rows of hunks not yet known wait, in their table's order.
 */
import { chunkColumn, type DictColumn, type IntColumn, type TableChunk } from '../core/columns.js';
import type { ChunkSink } from './row-chunks.js';
import { selectRows } from '../tables/select-rows.js';

/** Tables whose rows belong to a hunk (hunk_id), in the order the correlator names them. */
const HUNK_TABLES: ReadonlySet<string> = new Set([
  'rx_hunks',
  'rx_irqs',
  'rx_irq_events',
  'rx_napi_polls',
  'rx_packets',
]);

export class DevFilter {
  /** Hunks with an IRQ whose name holds the device name. */
  private readonly kept = new Set<number>();
  /** Every hunk below this one has all its IRQs seen. */
  private decidedBelow = 0;
  private ended = false;
  /** Per table: chunks waiting for the verdict on their first rows' hunks, oldest first. */
  private readonly waiting = new Map<string, TableChunk[]>();
  /** Per dictionary: whether each id's name holds the device name (computed once per id). */
  private readonly holds = new Map<DictColumn['table'], Uint8Array>();

  constructor(
    readonly dev: string,
    private readonly sink: ChunkSink,
  ) {}

  push(table: string, chunk: TableChunk): void {
    if (table === 'tx_packets') {
      this.emit(table, chunk, (r) => this.named(dict(chunk, 'dev'), r));
      return;
    }
    if (!HUNK_TABLES.has(table)) {
      this.sink(table, chunk);
      return;
    }
    if (table === 'rx_irqs') this.noteIrqs(chunk);
    const queue = this.waiting.get(table) ?? [];
    queue.push(chunk);
    this.waiting.set(table, queue);
    this.release();
  }

  /** The end of the input: every hunk is known. */
  finish(): void {
    this.ended = true;
    this.release();
  }

  private noteIrqs(chunk: TableChunk): void {
    const hunk = int(chunk, 'hunk_id');
    const names = dict(chunk, 'irq_name');
    for (let r = 0; r < chunk.length; r++) {
      const h = hunk.values[r];
      if (this.named(names, r)) this.kept.add(h);
      this.decidedBelow = Math.max(this.decidedBelow, h);
    }
  }

  /** Sends what is known of every waiting table, in order; the rest waits. */
  private release(): void {
    for (const [table, queue] of this.waiting) {
      while (queue.length > 0) {
        const chunk = queue[0];
        const hunk = int(chunk, 'hunk_id');
        let known = 0;
        while (known < chunk.length && this.decided(hunk, known)) known++;
        if (known === chunk.length) {
          queue.shift();
          this.emit(table, chunk, (r) => this.keeps(table, chunk, hunk, r));
          continue;
        }
        if (known > 0) {
          const head = rowsWhere(known, () => true);
          queue[0] = selectRows(
            chunk,
            rowsWhere(chunk.length - known, () => true).map((r) => r + known),
          );
          const part = selectRows(chunk, head);
          this.emit(table, part, (r) => this.keeps(table, part, int(part, 'hunk_id'), r));
        }
        break;
      }
    }
  }

  private decided(hunk: IntColumn, r: number): boolean {
    return this.ended || hunk.valid[r] === 0 || hunk.values[r] < this.decidedBelow;
  }

  private keeps(table: string, chunk: TableChunk, hunk: IntColumn, r: number): boolean {
    if (hunk.valid[r] === 1) return this.kept.has(hunk.values[r]);
    // Only rx_packets has rows with no hunk: they keep their own device.
    return table === 'rx_packets' && this.named(dict(chunk, 'dev'), r);
  }

  private emit(table: string, chunk: TableChunk, keep: (r: number) => boolean): void {
    const rows = rowsWhere(chunk.length, keep);
    if (rows.length === chunk.length) this.sink(table, chunk);
    else if (rows.length > 0) this.sink(table, selectRows(chunk, rows));
  }

  /** Whether row r's name (dictionary column) holds the device name; a null name does not. */
  private named(c: DictColumn, r: number): boolean {
    const id = c.ids[r];
    if (id < 0) return false;
    let seen = this.holds.get(c.table);
    if (seen === undefined || seen.length <= id) {
      const grown = new Uint8Array(Math.max(64, c.table.size * 2));
      if (seen) grown.set(seen);
      this.holds.set(c.table, (seen = grown));
    }
    if (seen[id] === 0) seen[id] = c.table.values[id].includes(this.dev) ? 1 : 2;
    return seen[id] === 1;
  }
}

/** The events table under `--dev`: rows whose device or IRQ name holds NAME; rows with neither go. */
export function devEvents(dev: string, chunk: TableChunk): TableChunk | null {
  const d = dict(chunk, 'dev');
  const irq = dict(chunk, 'irq_name');
  const holds = (c: DictColumn, r: number): boolean => c.ids[r] >= 0 && c.table.values[c.ids[r]].includes(dev);
  const rows = rowsWhere(chunk.length, (r) => holds(d, r) || holds(irq, r));
  if (rows.length === 0) return null;
  return rows.length === chunk.length ? chunk : selectRows(chunk, rows);
}

function rowsWhere(n: number, keep: (r: number) => boolean): Int32Array {
  const out = new Int32Array(n);
  let k = 0;
  for (let r = 0; r < n; r++) if (keep(r)) out[k++] = r;
  return out.subarray(0, k);
}

function int(chunk: TableChunk, name: string): IntColumn {
  const c = chunkColumn(chunk, name);
  if (c?.kind !== 'int32') throw new Error(`${name} is not an int32 column of this table`);
  return c;
}

function dict(chunk: TableChunk, name: string): DictColumn {
  const c = chunkColumn(chunk, name);
  if (c?.kind !== 'dict') throw new Error(`${name} is not a dictionary column of this table`);
  return c;
}
