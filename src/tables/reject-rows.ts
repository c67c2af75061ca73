import type { RejectedLine } from '../decode/text/decoder.js';
import { StringTable } from '../core/strings.js';
import { dictColumn, intColumn, type TableChunk } from '../core/columns.js';

export const REJECT_CHUNK_ROWS = 4096;

/** Rows of the `rejects` table (schemas/rejects.json), gathered a chunk at a time. */
export class RejectRows {
  private readonly inputs = new StringTable();
  private readonly reasons = new StringTable();
  private lines: number[] = [];
  private reasonIds: number[] = [];
  private texts: string[] = [];
  private readonly inputId: number;

  constructor(input: string) {
    this.inputId = this.inputs.idOf(input);
  }

  get length(): number {
    return this.lines.length;
  }

  add(r: RejectedLine): void {
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
