import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TRACES = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = `${ROOT}bin/netdev-times.js`;

/** `SAMPLE events` per event name from a `perf report --stats` log. */
export function sampleCounts(statsLog: string): Record<string, number> {
  const out: Record<string, number> = {};
  let current: string | null = null;
  for (const line of readFileSync(statsLog, 'utf8').split('\n')) {
    const head = line.match(/^(\S+:\S+) stats:$/);
    if (head) {
      current = head[1];
      continue;
    }
    const m = line.match(/^\s+SAMPLE events:\s+(\d+)/);
    if (m && current) {
      out[current] = Number(m[1]);
      current = null;
    }
  }
  return out;
}
