import type { RejectedLine } from '../decode/text/decoder.js';
import { StringTable } from '../core/strings.js';
import { dictColumn, intColumn, type TableChunk } from '../core/columns.js';

export const REJECT_CHUNK_ROWS = 4096;

/**
 * The `rejects` table keeps the first this many rejected lines of an input (each cut to 200 bytes), a sample:
 * the manifest counts every rejected line, per reason. A file of rejected lines (a wrong file, or one line
 * repeated) would otherwise hold every one of them in memory until the next batch of events comes.
 */
export const REJECT_SAMPLE_ROWS = 10000;

/** Rows of the `rejects` table (schemas/rejects.json), gathered a chunk at a time: the first REJECT_SAMPLE_ROWS. */
export class RejectRows {
  private readonly inputs = new StringTable();
  private readonly reasons = new StringTable();
  private lines: number[] = [];
  private reasonIds: number[] = [];
  private texts: string[] = [];
  private readonly inputId: number;
  /** Rows added so far (kept or not). */
  private added = 0;

  constructor(
    input: string,
    private readonly limit = REJECT_SAMPLE_ROWS,
  ) {
    this.inputId = this.inputs.idOf(input);
  }

  /** Rejected lines not kept: past the first `limit`. */
  get dropped(): number {
    return Math.max(0, this.added - this.limit);
  }

  get length(): number {
    return this.lines.length;
  }

  add(r: RejectedLine): void {
    if (this.added++ >= this.limit) return;
    this.lines.push(r.line);
    this.reasonIds.push(this.reasons.idOf(r.reason));
    this.texts.push(r.text);
  }

  take(): TableChunk {
    const n = this.lines.length;
    const input = dictColumn(n, this.inputs);
    const reason = dictColumn(n, this.reasons);
    const line = intColumn(n);
    for (let i = 0; i < n; i++) {
      input.ids[i] = this.inputId;
      reason.ids[i] = this.reasonIds[i];
      line.values[i] = this.lines[i];
      line.valid[i] = 1;
    }
    const chunk: TableChunk = {
      length: n,
      columns: { input, line, reason, text: { kind: 'utf8', values: this.texts } },
    };
    this.lines = [];
    this.reasonIds = [];
    this.texts = [];
    return chunk;
  }
}
