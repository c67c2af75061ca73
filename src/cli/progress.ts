import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ReadMeter } from '../input/meter.js';
import { sniff } from '../input/open.js';

/**
 * One line of progress on stderr while an input is read, for convert, report and summary: only on a terminal
 * (a log or a pipe gets nothing), cut to the terminal's width, redrawn at most 10 times a second, and erased
 * when the input is read (or the run fails), so nothing of it is left on the screen.
 */

/** What the line can say; the fields it has no room for are left out, least useful first. */
export interface ProgressState {
  /** The input's name (its file name, `<stdin>`). */
  label: string;
  /** Bytes read, as stored (compressed bytes of a compressed file). */
  bytes: number;
  /** The input's size as stored; 0 when unknown (a pipe, perf.data through perf script). */
  total: number;
  events: number;
  /** Seconds since the start. */
  elapsed: number;
}

const MIN_LABEL = 8;

/** 1.2 kB, 12.3 MB, 1.2 GB. */
function size(n: number): string {
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** 950, 12.3k, 4.56M. */
function count(n: number): string {
  if (n < 1e4) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(1)}k`;
  return `${(n / 1e6).toFixed(2)}M`;
}

/** 7s, 1m05s, 2h03m. */
export function duration(secs: number): string {
  const s = Math.max(0, Math.round(secs));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** What a terminal shows as one character each (an accented letter, a flag): cut only between them. */
const graphemes = (text: string): string[] => Array.from(new Intl.Segmenter().segment(text), (g) => g.segment);

/** `label` in at most `room` columns: the end of a name is cut, with `…` saying so. */
function cut(label: string, room: number): string {
  const chars = graphemes(label);
  return chars.length <= room ? label : `${chars.slice(0, Math.max(0, room - 1)).join('')}…`;
}

const columns = (text: string): number => graphemes(text).length;

/**
 * The progress line for `width` columns: it never reaches the last column (a terminal may wrap there). The
 * percentage and ETA go first (when the size is known), then bytes, events and their rate; the fields that
 * do not fit are dropped from the last, then the name is cut, then dropped.
 */
export function progressLine(s: ProgressState, width: number): string {
  const room = Math.max(1, width - 1);
  const known = s.total > 0;
  const fraction = known ? Math.min(1, s.bytes / s.total) : 0;
  const fields: string[] = [];
  if (known) {
    fields.push(`${Math.floor(fraction * 100)}%`);
    // Too early an ETA jumps around: it waits for half a second and a few bytes.
    if (s.elapsed >= 0.5 && s.bytes > 0) fields.push(`ETA ${duration((s.elapsed * (s.total - s.bytes)) / s.bytes)}`);
    fields.push(`${size(s.bytes)}/${size(s.total)}`);
  } else fields.push(size(s.bytes));
  // Events are counted a batch at a time: none yet is not none in the input.
  if (s.events > 0) {
    fields.push(`${count(s.events)} events`);
    if (s.elapsed > 0) fields.push(`${count(s.events / s.elapsed)}/s`);
  }
  // A file name may hold control characters: printed, they would move the cursor.
  const label = s.label.replace(/\p{Cc}/gu, '?');
  for (let n = fields.length; n >= 1; n--) {
    const body = fields.slice(0, n).join('  ');
    const left = room - columns(body) - 2;
    if (left >= Math.min(MIN_LABEL, columns(label))) return `${cut(label, left)}: ${body}`;
  }
  return cut(fields.join('  '), room);
}

/**
 * The size progress is a fraction of: the file as stored, whatever it holds (text, .gz/.xz/.zst, perf.data read
 * natively) or stdin redirected from a file; 0 (unknown) for a pipe, and for perf.data read through perf
 * script, whose text is counted, not the file.
 */
function storedSize(path: string, viaPerf: boolean): number {
  try {
    if (path === '-') {
      const st = fstatSync(0);
      return st.isFile() ? st.size : 0;
    }
    const st = statSync(path);
    if (!st.isFile()) return 0;
    if (viaPerf) {
      const fd = openSync(path, 'r');
      try {
        const head = new Uint8Array(8);
        const n = readSync(fd, head, 0, 8, 0);
        if (sniff(head.subarray(0, n)) === 'perf-data') return 0;
      } finally {
        closeSync(fd);
      }
    }
    return st.size;
  } catch {
    return 0;
  }
}

/** Where the line goes: a terminal's stream (tests give their own). */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const REDRAW_MS = 100;

export class Progress {
  /** Give it to the input (`meter` option): a compressed file or a stream counts its stored bytes into it. */
  readonly meter = new ReadMeter();
  private readonly total: number;
  private readonly label: string;
  private readonly t0: number;
  private last: number;
  private shown = false;
  private decoded = 0;
  private events = 0;
  /** When the decoding of a spooled copy was first drawn (the meter's `spooled`); -1 before. */
  private spoolT0 = -1;
  /**
   * Redraws between updates: they come once per batch of events, which a slowly fed pipe may take seconds to
   * fill, while the meter counts its bytes as they come.
   */
  private readonly ticker: NodeJS.Timeout;

  private constructor(
    path: string,
    viaPerf: boolean,
    private readonly out: ProgressOutput,
    private readonly clock: () => number,
  ) {
    this.t0 = clock();
    this.total = storedSize(path, viaPerf);
    this.label = path === '-' ? '<stdin>' : basename(path);
    // The first line waits one period: a run that short needs none.
    this.last = this.t0;
    this.ticker = setInterval(() => this.draw(), REDRAW_MS);
    this.ticker.unref();
  }

  /** A progress line for this input, or null when there must be none: --quiet, or stderr not a terminal. */
  static start(
    path: string,
    options: { quiet: boolean; viaPerf?: boolean },
    out: ProgressOutput = process.stderr,
    clock: () => number = () => performance.now(),
  ): Progress | null {
    return options.quiet || out.isTTY !== true ? null : new Progress(path, options.viaPerf === true, out, clock);
  }

  /**
   * `decoded`: the bytes the decoder took. The same as the stored bytes for plain text and for perf.data read
   * natively (its own bytes); for a compressed file or a stream the meter has the stored ones.
   */
  update(decoded: number, events: number): void {
    this.decoded = decoded;
    this.events = events;
    this.draw();
  }

  private draw(): void {
    const now = this.clock();
    if (now - this.last < REDRAW_MS) return;
    this.last = now;
    // An input spooled whole before its decoding (a compressed file-mode perf.data) has all its stored bytes
    // read then: what is left is decoding the copy, counted against the copy's size from when it began.
    const spooled = this.meter.spooled;
    if (spooled > 0 && this.spoolT0 < 0) this.spoolT0 = now;
    const copy = spooled > 0;
    const line = progressLine(
      {
        label: copy ? `${this.label} (spooled)` : this.label,
        bytes: copy || this.meter.bytes === 0 ? this.decoded : this.meter.bytes,
        total: copy ? spooled : this.total,
        events: this.events,
        elapsed: (now - (copy ? this.spoolT0 : this.t0)) / 1000,
      },
      this.out.columns ?? 80,
    );
    this.out.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  /** A line of its own (a warning) while the progress line may be showing: the progress line gives way. */
  note(text: string): void {
    this.clear();
    this.out.write(text);
  }

  /** The end: the line is erased and drawn no more. */
  done(): void {
    clearInterval(this.ticker);
    this.clear();
  }

  /** Erases the line for output of another stream on the same terminal; the next tick draws it again. */
  clear(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
