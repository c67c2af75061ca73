/**
 * Synthetic `perf script` text of any size from the seeded model in model.ts, in perf's own column layout:
 * `--ns` (nanoseconds, the default here) or the default microsecond layout of the shared `W.txt` files.
 * The same options give the same bytes, so a benchmark input can be rebuilt anywhere instead of stored.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { DEFAULT_MIX, runScenario, type Mix, type Proc, type Sink } from './model.js';
import { Random } from './random.js';

export type Layout = 'ns' | 'us';

export interface GenerateOptions {
  /** Event lines to produce (exactly; the last scenario may be cut short, as a real recording can be). */
  events: number;
  seed?: number;
  /** 'ns' is `perf script --ns`; 'us' is plain `perf script` (W.txt). */
  layout?: Layout;
  cpus?: number;
  /** Scenario weights; missing ones keep DEFAULT_MIX's. */
  mix?: Partial<Mix>;
  /** Time of the first event, ns since boot. */
  startNs?: number;
}

/** perf pads event names to the longest name of the session: skb:skb_copy_datagram_iovec here. */
const EVENT_WIDTH = 27;
const LINES_PER_CHUNK = 4096;

class TextSink implements Sink {
  lines: string[] = [];
  count = 0;
  private clock: number;

  constructor(
    private readonly limit: number,
    private readonly layout: Layout,
    startNs: number,
  ) {
    this.clock = startNs;
  }

  isFull(): boolean {
    return this.count >= this.limit;
  }

  emit(proc: Proc, cpu: number, event: string, payload: string, gapNs: number): void {
    if (this.count >= this.limit) return;
    this.clock += gapNs;
    const secs = Math.floor(this.clock / 1e9);
    const ns = this.clock - secs * 1e9;
    const frac = this.layout === 'ns' ? String(ns).padStart(9, '0') : String(Math.floor(ns / 1000)).padStart(6, '0');
    this.lines.push(
      `${proc.comm.padStart(16)} ${String(proc.tid).padStart(5)} [${String(cpu).padStart(3, '0')}] ${String(secs).padStart(5)}.${frac}: ${event.padStart(EVENT_WIDTH)}: ${payload}\n`,
    );
    this.count++;
  }
}

/** The trace as text chunks of a few thousand lines each. */
export function* generateTrace(options: GenerateOptions): Generator<string> {
  const r = new Random(options.seed ?? 1);
  const mix: Mix = { ...DEFAULT_MIX, ...options.mix };
  const cpus = options.cpus ?? 2;
  const sink = new TextSink(options.events, options.layout ?? 'ns', options.startNs ?? 1541_804814724);
  while (!sink.isFull()) {
    runScenario(r, sink, mix, cpus);
    if (sink.lines.length >= LINES_PER_CHUNK || sink.isFull()) {
      yield sink.lines.join('');
      sink.lines = [];
    }
  }
}

/** The whole trace as one string (tests, small inputs). */
export function generateTraceText(options: GenerateOptions): string {
  let out = '';
  for (const chunk of generateTrace(options)) out += chunk;
  return out;
}

/** Writes the trace to `path`; returns its size. */
export function writeTrace(path: string, options: GenerateOptions): { events: number; bytes: number } {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    for (const chunk of generateTrace(options)) {
      const b = Buffer.from(chunk, 'utf8');
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off, b.length - off);
      bytes += b.length;
    }
  } finally {
    closeSync(fd);
  }
  return { events: options.events, bytes };
}
