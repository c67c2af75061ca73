import { newEventLine, parseEventLine } from './event-line.js';
import { newRawBatch, type RawBatch } from './raw-batch.js';
import { StringTable } from './strings.js';
import { writeTimeWords } from './time.js';

/** Line accounting of one input: lines = events + header + callchainFrames + blank + rejected. */
export interface LineCounts {
  lines: number;
  events: number;
  header: number;
  callchainFrames: number;
  blank: number;
  rejected: number;
}

export interface RejectedLine {
  line: number;
  reason: string;
  /** The line's text, cut to 200 bytes. */
  text: string;
}

export interface DecoderOptions {
  /** Events per batch (default 16384). */
  batchSize?: number;
  /** Called with every rejected line; the decoder keeps none itself. */
  onReject?: (r: RejectedLine) => void;
  /** Longer lines are rejected without being held in memory (default MAX_LINE_BYTES). */
  maxLineBytes?: number;
}

/**
 * The longest line decoded (16 MiB, newline excluded). perf prints lines of a few hundred bytes; a longer one
 * (a file with no newline at all, say) is rejected and skipped without being buffered, so memory stays bounded.
 */
export const MAX_LINE_BYTES = 16 << 20;

const NL = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const REJECT_TEXT_BYTES = 200;

/**
 * Streams `perf script` text: feed it chunks, it calls `onBatch` with full batches of event lines.
 * Lines that straddle chunks are carried over; nothing else is copied except each event's payload.
 */
export class TraceDecoder {
  readonly counts: LineCounts = { lines: 0, events: 0, header: 0, callchainFrames: 0, blank: 0, rejected: 0 };
  readonly comms = new StringTable();
  readonly events = new StringTable();
  private readonly batchSize: number;
  private batch: RawBatch;
  private carry: Uint8Array = new Uint8Array(0);
  private carryLen = 0;
  private readonly ev = newEventLine();
  private readonly textDecoder = new TextDecoder('utf-8');
  private lastEventInBatch = false;
  private arenaLen = 0;
  private readonly maxLine: number;
  /** The carried line grew past maxLine: only its first bytes are kept (for the reject row), the rest dropped. */
  private overlong = false;
  /** end() found a last line with no newline after it (a file cut short, or written without one). */
  unterminatedLastLine = false;

  constructor(
    private readonly onBatch: (b: RawBatch) => void,
    private readonly options: DecoderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 16384;
    this.maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.batch = newRawBatch(this.batchSize, this.comms, this.events);
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    const n = chunk.length;
    if (this.carryLen > 0 || this.overlong) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.appendCarry(chunk, 0, n);
        return;
      }
      this.appendCarry(chunk, 0, nl);
      this.carriedLine();
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      if (nl < 0) break;
      this.line(chunk, start, nl);
      start = nl + 1;
    }
    if (start < n) this.appendCarry(chunk, start, n);
  }

  /** Flushes the last (unterminated) line and the last batch. */
  end(): void {
    if (this.carryLen > 0 || this.overlong) {
      this.unterminatedLastLine = true;
      this.carriedLine();
    }
    this.flush();
  }

  private carriedLine(): void {
    if (this.overlong) {
      this.reject(++this.counts.lines, this.tooLong, this.carry, 0, this.carryLen);
      this.overlong = false;
      if (this.carry.length > 1 << 16) this.carry = new Uint8Array(4096);
    } else {
      this.line(this.carry, 0, this.carryLen);
    }
    this.carryLen = 0;
  }

  private get tooLong(): string {
    return `line longer than ${this.maxLine} bytes`;
  }

  private appendCarry(b: Uint8Array, s: number, e: number): void {
    if (this.overlong) return;
    if (this.carryLen + (e - s) > this.maxLine) {
      // Keep the first bytes for the reject row; drop the rest of the line as it streams past.
      this.overlong = true;
      e = Math.min(e, s + Math.max(0, REJECT_TEXT_BYTES - this.carryLen));
    }
    const need = this.carryLen + (e - s);
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.max(need, this.carry.length * 2, 4096));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(b.subarray(s, e), this.carryLen);
    this.carryLen = need;
  }

  private line(b: Uint8Array, s: number, e: number): void {
    const lineNo = ++this.counts.lines;
    if (e - s > this.maxLine) {
      this.reject(lineNo, this.tooLong, b, s, e);
      return;
    }
    if (e > s && b[e - 1] === CR) e--;
    let p = s;
    while (p < e && b[p] === SP) p++;
    if (p === e) {
      this.counts.blank++;
      return;
    }
    const c0 = b[s];
    if (c0 === TAB) {
      if (this.lastEventInBatch) {
        this.counts.callchainFrames++;
        this.addFrame(b, s, e);
        return;
      }
      this.reject(lineNo, 'callchain frame with no event before it', b, s, e);
      return;
    }
    if (c0 === HASH) {
      this.counts.header++;
      return;
    }
    const ev = this.ev;
    if (!parseEventLine(b, s, e, ev)) {
      this.reject(lineNo, ev.reason, b, s, e);
      return;
    }
    let batch = this.batch;
    if (batch.length === this.batchSize) {
      this.flush();
      batch = this.batch;
    }
    const i = batch.length++;
    batch.line[i] = lineNo;
    writeTimeWords(batch.timeWords, i, ev.secs, ev.frac, ev.fracDigits);
    batch.cpu[i] = ev.cpu;
    batch.tid[i] = ev.tid;
    batch.pid[i] = ev.pid;
    batch.pidValid[i] = ev.hasPid ? 1 : 0;
    batch.comm[i] = this.comms.idOfBytes(b, ev.commStart, ev.commEnd);
    batch.event[i] = this.events.idOfBytes(b, ev.eventStart, ev.eventEnd);
    const plen = e - ev.payloadStart;
    if (this.arenaLen + plen > batch.arena.length) {
      const grown = new Uint8Array(Math.max(batch.arena.length * 2, this.arenaLen + plen));
      grown.set(batch.arena.subarray(0, this.arenaLen));
      batch.arena = grown;
    }
    batch.arena.set(b.subarray(ev.payloadStart, e), this.arenaLen);
    batch.payloadStart[i] = this.arenaLen;
    this.arenaLen += plen;
    batch.payloadEnd[i] = this.arenaLen;
    batch.frameStart[i] = batch.frames.length;
    batch.frameEnd[i] = batch.frames.length;
    this.counts.events++;
    this.lastEventInBatch = true;
  }

  private addFrame(b: Uint8Array, s: number, e: number): void {
    let p = s;
    while (p < e && (b[p] === TAB || b[p] === SP)) p++;
    const batch = this.batch;
    batch.frames.push(this.textDecoder.decode(b.subarray(p, e)));
    batch.frameEnd[batch.length - 1] = batch.frames.length;
  }

  private reject(line: number, reason: string, b: Uint8Array, s: number, e: number): void {
    this.counts.rejected++;
    this.lastEventInBatch = false;
    const cb = this.options.onReject;
    if (cb) cb({ line, reason, text: this.textDecoder.decode(b.subarray(s, Math.min(e, s + REJECT_TEXT_BYTES))) });
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const full = this.batch;
    this.onBatch(full);
    this.batch = newRawBatch(this.batchSize, this.comms, this.events);
    this.arenaLen = 0;
    this.lastEventInBatch = false;
  }
}
