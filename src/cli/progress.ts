import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { sniff } from '../input/open.js';

/**
 * The size the bytes read are a fraction of: the file's size for plain text; unknown (0) for .gz/.xz and
 * perf.data, whose decoded text is larger than the file (a percentage of the file would pass 100%).
 */
function textSize(path: string): number {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(8);
      const n = readSync(fd, head, 0, 8, 0);
      return sniff(head.subarray(0, n)) === 'text' ? statSync(path).size : 0;
    } finally {
      closeSync(fd);
    }
  } catch {
    return 0;
  }
}

/** Progress on stderr (only used when stderr is a terminal): bytes read, events/s, ETA. */
export class Progress {
  private readonly total: number;
  private readonly t0 = performance.now();
  private last = 0;
  private shown = false;

  constructor(path: string) {
    this.total = textSize(path);
  }

  update(bytes: number, events: number): void {
    const now = performance.now();
    if (now - this.last < 250) return;
    this.last = now;
    const secs = (now - this.t0) / 1000;
    const rate = events / Math.max(secs, 1e-3);
    const pct = this.total > 0 ? Math.min(100, (100 * bytes) / this.total) : 0;
    const eta = this.total > 0 && bytes > 0 ? Math.max(0, (secs * (this.total - bytes)) / bytes) : NaN;
    const mb = (bytes / 1e6).toFixed(1);
    const etaText = Number.isFinite(eta) ? `, ETA ${eta.toFixed(0)} s` : '';
    process.stderr.write(
      `\r${mb} MB${this.total ? ` (${pct.toFixed(0)}%)` : ''}, ${events} events, ${(rate / 1000).toFixed(0)}k events/s${etaText}   `,
    );
    this.shown = true;
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
