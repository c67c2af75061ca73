import { viewOf } from '../../core/bytes.js';
import { newEventLine, parseEventHead, parseEventLine, parseFraction } from './event-line.js';
import { EventNames } from './event-names.js';
import { HeadCache } from './head-cache.js';
import { newRawBatch, type RawBatch } from '../raw-batch.js';
import { escapeBytes, StringTable } from '../../core/strings.js';
import { writeTimeWords } from './time.js';
import { LostEvents } from '../../core/lost.js';
import { asLineNo, asNanoseconds, type LineNo } from '../../core/units.js';

/** Line accounting of one input: lines = events + header + callchainFrames + blank + lost + rejected. */
export interface LineCounts {
  lines: number;
  events: number;
  header: number;
  callchainFrames: number;
  blank: number;
  /** `PERF_RECORD_LOST lost N` lines (perf script --show-lost-events): read into `lost`, not events. */
  lost: number;
  rejected: number;
}

export interface RejectedLine {
  line: LineNo;
  reason: string;
  /** The line's first 200 bytes, as a table string (core/strings.ts: UTF-8, `\\xHH` for a byte that is not). */
  text: string;
}

export interface DecoderOptions {
  /** Events per batch (default 16384). */
  batchSize?: number;
  /** Called with every rejected line; the decoder keeps none itself. */
  onReject?: (r: RejectedLine) => void;
  /** Longer lines are rejected without being held in memory (default MAX_LINE_BYTES). */
  maxLineBytes?: number;
  /** Dictionaries the caller holds (a trace source's), else the decoder's own. */
  comms?: StringTable;
  /** Where the kernel's lost-event records go (a trace source's), else the decoder's own. */
  lost?: LostEvents;
  events?: StringTable;
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
const LBRACK = 0x5b;
const REJECT_TEXT_BYTES = 200;
const LOST_WORD = new TextEncoder().encode(' PERF_RECORD_LOST lost ');

/**
 * perf prints a callchain frame as a tab, the address right-aligned in 16 columns (`%16llx`), a space: a line
 * so shaped is a frame (an event line whose comm starts with a tab cannot be: its comm ends within 15 bytes).
 */
function frameShaped(b: Uint8Array, s: number, e: number): boolean {
  const end = s + 17;
  if (end >= e || b[end] !== SP) return false;
  let i = s + 1;
  while (i < end && b[i] === SP) i++;
  if (i === end) return false;
  for (; i < end; i++) {
    const c = b[i] | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/**
 * The line b[s, e) has a ` [digit` (what an event's cpu column starts with): a callchain frame has none, and
 * is then no event line without parseEventLine's work.
 */
function mayHoldCpu(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s + 1; i < e - 1; i++)
    if (b[i] === LBRACK && b[i - 1] === SP && b[i + 1] >= 0x30 && b[i + 1] <= 0x39) return true;
  return false;
}

/** A text arena: a Buffer of its own, never a slice of Node's shared pool, and not zeroed (each byte read is written first). */
const newText = (n: number): Buffer => Buffer.allocUnsafeSlow(n);

/** Input is taken in slices of at most this many bytes, so one huge push never makes one huge batch arena. */
const SLICE = 1 << 20;

/**
 * Streams `perf script` text: feed it chunks, it calls `onBatch` with full batches of event lines.
 * Input bytes are copied once, in bulk, into the current batch's arena (its text), and lines are parsed
 * where they lie: an event's payload is a span of that text, never copied on its own. When a batch fills,
 * the bytes after it move to the next batch's arena.
 */
export class TraceDecoder {
  readonly counts: LineCounts = { lines: 0, events: 0, header: 0, callchainFrames: 0, blank: 0, lost: 0, rejected: 0 };
  /** The kernel's lost-event records the text shows. */
  readonly lost: LostEvents;
  readonly comms: StringTable;
  readonly events: StringTable;
  private readonly batchSize: number;
  private batch: RawBatch;
  /**
   * The current batch's arena; text[textLen] is always a newline sentinel, so a line search stops there.
   * A Buffer because Buffer#indexOf is memchr: several times faster per line than Uint8Array#indexOf.
   */
  private text: Buffer;
  /** A DataView of text, for the 4-byte compares of the line heads. */
  private view: DataView;
  private textLen = 0;
  /** Start of the first line not yet decoded. */
  private lineStart = 0;
  private readonly ev = newEventLine();
  /** One int64 time, written as two words by writeTimeWords and read back as a bigint. */
  private readonly timeScratch64 = new BigInt64Array(1);
  private readonly timeScratch = new Uint32Array(this.timeScratch64.buffer);
  private readonly eventNames: EventNames;
  private readonly head = new HeadCache();
  private lastEventInBatch = false;
  /** Batches given back (recycle) and the largest arena among them, for the next batches. */
  private readonly spare: RawBatch[] = [];
  private spareText: Buffer | null = null;
  private readonly maxLine: number;
  /** The current line grew past maxLine: its first bytes (for the reject row) are kept, the rest dropped. */
  private overlong: Uint8Array | null = null;
  /** end() found a last line with no newline after it (a file cut short, or written without one). */
  unterminatedLastLine = false;

  constructor(
    private readonly onBatch: (b: RawBatch) => void,
    private readonly options: DecoderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 16384;
    this.maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.comms = options.comms ?? new StringTable();
    this.events = options.events ?? new StringTable();
    this.lost = options.lost ?? new LostEvents();
    this.eventNames = new EventNames(this.events);
    this.text = newText(Math.min(SLICE, this.batchSize * 128) + 1);
    this.view = viewOf(this.text);
    this.text[0] = NL;
    this.batch = newRawBatch(this.batchSize, this.comms, this.events, this.text);
  }

  push(chunk: Uint8Array): void {
    for (let off = 0; off < chunk.length; off += SLICE) this.pushSlice(chunk, off, Math.min(chunk.length, off + SLICE));
  }

  /** Flushes the last (unterminated) line and the last batch. */
  end(): void {
    if (this.overlong) {
      this.unterminatedLastLine = true;
      this.endOverlong();
    } else if (this.lineStart < this.textLen) {
      this.unterminatedLastLine = true;
      const s = this.lineStart;
      this.lineStart = this.textLen;
      this.line(this.text, s, this.textLen);
    }
    this.flush(true);
  }

  private pushSlice(b: Uint8Array, s: number, e: number): void {
    if (this.overlong) {
      const nl = b.indexOf(NL, s);
      // The reject row's text is the line's first bytes whatever the chunking: they are taken as they come.
      this.overlongTake(b, s, nl < 0 || nl >= e ? e : nl);
      if (nl < 0 || nl >= e) return;
      this.endOverlong();
      s = nl + 1;
    }
    if (s >= e) return;
    if (this.textLen - this.lineStart + (e - s) > this.maxLine) {
      // The pending line could pass maxLine: take the slice up to its last newline, and if there is none the
      // line is too long: keep its first bytes for the reject row, drop the rest as it streams past.
      const last = b.lastIndexOf(NL, e - 1);
      if (last < s) {
        this.startOverlong(b, s, e);
        return;
      }
      this.appendAndScan(b, s, last + 1);
      this.pushSlice(b, last + 1, e);
      return;
    }
    this.appendAndScan(b, s, e);
  }

  private appendAndScan(b: Uint8Array, s: number, e: number): void {
    const n = e - s;
    if (this.textLen + n + 1 > this.text.length) this.growText(this.textLen + n + 1);
    this.text.set(s === 0 && e === b.length ? b : b.subarray(s, e), this.textLen);
    this.textLen += n;
    this.text[this.textLen] = NL;
    this.scan();
  }

  /** The pending line (text from lineStart, then b[s, e)) is longer than maxLine. */
  private startOverlong(b: Uint8Array, s: number, e: number): void {
    const pending = this.textLen - this.lineStart;
    const head = new Uint8Array(Math.min(REJECT_TEXT_BYTES, pending + (e - s)));
    const fromText = Math.min(head.length, pending);
    head.set(this.text.subarray(this.lineStart, this.lineStart + fromText));
    head.set(b.subarray(s, s + head.length - fromText), fromText);
    this.overlong = head;
    this.textLen = this.lineStart;
    if (this.text.length > this.textLen + 2 * SLICE) {
      // Give back what the long line made the arena grow to.
      const small = newText(this.textLen + SLICE + 1);
      small.set(this.text.subarray(0, this.textLen));
      this.setText(small);
    }
    this.text[this.textLen] = NL;
  }

  /** Decodes every complete line of the text. */
  private scan(): void {
    for (;;) {
      const t = this.text;
      const s = this.lineStart;
      const nl = t.indexOf(NL, s);
      if (nl >= this.textLen) return;
      this.lineStart = nl + 1;
      this.line(t, s, nl);
    }
  }

  /** Adds b[s, e) to the kept first bytes of the over-long line, up to REJECT_TEXT_BYTES. */
  private overlongTake(b: Uint8Array, s: number, e: number): void {
    const head = this.overlong;
    if (!head || head.length >= REJECT_TEXT_BYTES || e <= s) return;
    const more = b.subarray(s, Math.min(e, s + REJECT_TEXT_BYTES - head.length));
    const grown = new Uint8Array(head.length + more.length);
    grown.set(head);
    grown.set(more, head.length);
    this.overlong = grown;
  }

  private endOverlong(): void {
    const head = this.overlong;
    this.overlong = null;
    if (head) this.reject(++this.counts.lines, this.tooLong, head, 0, head.length);
  }

  private get tooLong(): string {
    return `line longer than ${this.maxLine} bytes`;
  }

  private growText(need: number): void {
    // Doubling, but never past what the longest pending line allowed can need.
    const grown = newText(Math.max(need, Math.min(this.text.length * 2, this.lineStart + this.maxLine + SLICE + 1)));
    grown.set(this.text.subarray(0, this.textLen));
    this.setText(grown);
  }

  private line(b: Buffer, s: number, e: number): void {
    const lineNo = ++this.counts.lines;
    if (e - s > this.maxLine) {
      this.reject(lineNo, this.tooLong, b, s, e);
      return;
    }
    if (e > s && b[e - 1] === CR) e--;
    // A line that starts with the last event line's head is an event line up to its time (not blank, not a
    // frame or a header: that line was none of those either).
    const afterDot = this.head.match(b, this.view, s, e, this.ev);
    if (afterDot >= 0) this.lineAfterHead(b, s, e, lineNo, afterDot, this.head.commId);
    else this.otherLine(b, s, e, lineNo);
  }

  /** A line whose head is not the kept one: blank, a callchain frame, a header, or an event line. */
  private otherLine(b: Buffer, s: number, e: number, lineNo: number): void {
    const counts = this.counts;
    // b[e] is the line's newline (or the arena's sentinel one) or its CR, never a space: the padding loop
    // needs no bound of its own.
    let p = s;
    while (b[p] === SP) p++;
    if (p === e) {
      counts.blank++;
      return;
    }
    const c0 = b[s];
    // A line that starts with a tab or `#` is a callchain frame or a header, unless it is a whole event line
    // (-g prints the comm unpadded, and a comm may start with a tab or `#`): a frame or header line never is.
    if (
      (c0 === HASH || (c0 === TAB && !frameShaped(b, s, e))) &&
      mayHoldCpu(b, s, e) &&
      parseEventLine(b, s, e, this.ev, p)
    ) {
      this.lineAfterHead(b, s, e, lineNo, parseEventHead(b, s, e, this.ev, p), -1);
      return;
    }
    if (c0 === TAB) {
      if (this.lastEventInBatch) {
        counts.callchainFrames++;
        this.addFrame(b, s, e);
        return;
      }
      this.reject(lineNo, 'callchain frame with no event before it', b, s, e);
      return;
    }
    if (c0 === HASH) {
      counts.header++;
      return;
    }
    const afterDot = parseEventHead(b, s, e, this.ev, p);
    if (afterDot < 0) {
      this.reject(lineNo, this.ev.reason, b, s, e);
      return;
    }
    this.lineAfterHead(b, s, e, lineNo, afterDot, -1);
  }

  /**
   * The rest of an event line, after the `.` of its time. `comm` is the comm's id when the head was the kept
   * one, else -1: the comm is then looked up (only now, the line being an event) and its head kept.
   */
  private lineAfterHead(b: Buffer, s: number, e: number, lineNo: number, afterDot: number, comm: number): void {
    const ev = this.ev;
    const afterTime = parseFraction(b, this.view, afterDot, e, ev);
    const event = afterTime < 0 ? -1 : this.eventNames.idAt(b, this.view, afterTime, e, ev);
    if (event < 0) {
      if (afterTime >= 0 && this.lostLine(b, afterTime, e)) return;
      this.reject(lineNo, ev.reason, b, s, e);
      return;
    }
    if (comm < 0) {
      comm = this.comms.idOfBytes(b, ev.commStart, ev.commEnd);
      this.head.keep(b, s, afterDot, ev, comm);
    }
    this.addEvent(s, e, lineNo, comm, event);
  }

  /**
   * ` PERF_RECORD_LOST lost N` after an event head (b[p..e), p just after the time's colon): the kernel's
   * record of N events lost on that CPU, which perf script prints with --show-lost-events. Kept in `lost`.
   */
  private lostLine(b: Uint8Array, p: number, e: number): boolean {
    const word = LOST_WORD;
    if (e - p <= word.length) return false;
    for (let i = 0; i < word.length; i++) if (b[p + i] !== word[i]) return false;
    let n = 0;
    for (let q = p + word.length; q < e; q++) {
      const d = b[q] - 0x30;
      if (d < 0 || d > 9 || n > 1e15) return false;
      n = n * 10 + d;
    }
    const ev = this.ev;
    writeTimeWords(this.timeScratch, 0, ev.secs, ev.frac, ev.fracDigits);
    this.lost.add(ev.cpu, asNanoseconds(this.timeScratch64[0]), n);
    this.counts.lost++;
    return true;
  }

  /** Appends the event this.ev holds (parsed from b[s, e); its comm's and name's ids given) to the batch. */
  private addEvent(s: number, e: number, lineNo: number, comm: number, event: number): void {
    const ev = this.ev;
    let batch = this.batch;
    if (batch.length === this.batchSize) {
      // The line becomes the first of the next batch's arena: its payload span shifts by where it started.
      this.flush();
      this.moveTail(s);
      e -= s;
      ev.payloadStart -= s;
      batch = this.batch;
    }
    const i = batch.length++;
    batch.line[i] = lineNo;
    writeTimeWords(batch.timeWords, i, ev.secs, ev.frac, ev.fracDigits);
    batch.cpu[i] = ev.cpu;
    batch.tid[i] = ev.tid;
    batch.pid[i] = ev.pid;
    batch.pidValid[i] = ev.hasPid ? 1 : 0;
    batch.comm[i] = comm;
    batch.event[i] = event;
    batch.payloadStart[i] = ev.payloadStart;
    batch.payloadEnd[i] = e;
    const frames = batch.frames.length;
    batch.frameStart[i] = frames;
    batch.frameEnd[i] = frames;
    this.counts.events++;
    this.lastEventInBatch = true;
  }

  /** Makes t the arena lines are appended to and decoded in (the current batch's). */
  private setText(t: Buffer): void {
    this.text = t;
    this.view = viewOf(t);
    this.batch.arena = t;
  }

  /** Starts the (new) batch's arena with the old text from `from` on: the current line and what follows. */
  private moveTail(from: number): void {
    const old = this.text;
    const n = this.textLen - from;
    // Size the new arena for a batch's worth of text (as much as the last one held) plus one more slice.
    const need = Math.max(this.textLen, n) + SLICE + 1;
    const spare = this.spareText;
    this.spareText = null;
    // A new arena gets one slice more: where a batch ends within a slice moves `need` by up to a slice, and
    // an arena that fits the next batches too is reused instead of a new one (fresh pages cost a fault each).
    const text = spare && spare.length >= need && spare.length <= 2 * need ? spare : newText(need + SLICE);
    text.set(old.subarray(from, this.textLen));
    text[n] = NL;
    this.setText(text);
    this.textLen = n;
    this.lineStart -= from;
  }

  private addFrame(b: Uint8Array, s: number, e: number): void {
    let p = s;
    while (p < e && (b[p] === TAB || b[p] === SP)) p++;
    const batch = this.batch;
    batch.frames.push(escapeBytes(b, p, e));
    batch.frameEnd[batch.length - 1] = batch.frames.length;
  }

  private reject(line: number, reason: string, b: Uint8Array, s: number, e: number): void {
    this.counts.rejected++;
    this.lastEventInBatch = false;
    const cb = this.options.onReject;
    if (cb)
      cb({
        line: asLineNo(line),
        reason,
        text: escapeBytes(b, s, Math.min(e, s + REJECT_TEXT_BYTES)),
      });
  }

  /**
   * Gives back a batch the caller is done with (nothing of it kept, not even its payload text): its arrays
   * and arena serve a later batch. Optional; without it every batch is new and the old ones are garbage.
   */
  recycle(b: RawBatch): void {
    if (b.comms !== this.comms || this.spare.length >= 2) return;
    this.spare.push(b);
  }

  private nextBatch(): RawBatch {
    const b = this.spare.pop();
    if (!b || b.line.length < this.batchSize) return newRawBatch(this.batchSize, this.comms, this.events, this.text);
    if (Buffer.isBuffer(b.arena) && b.arena.length > (this.spareText?.length ?? 0) && b.arena !== this.text)
      this.spareText = b.arena;
    b.length = 0;
    b.frames = [];
    b.arena = this.text;
    return b;
  }

  /** Hands over the current batch; after the last one (`end`), no next one is made: nothing will fill it. */
  private flush(last = false): void {
    if (this.batch.length === 0) return;
    const full = this.batch;
    this.batch = last ? newRawBatch(0, this.comms, this.events, this.text) : this.nextBatch();
    this.lastEventInBatch = false;
    this.onBatch(full);
  }
}
