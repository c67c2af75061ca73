/**
 * The benchmark's inputs, made once in a scratch folder and reused: the real tcp-bulk trace (text and
 * perf.data, from the test fixtures), synthetic traces from the model, tcp-bulk made N times longer, and a
 * folder of N links to tcp-bulk (N inputs in one conversion).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTrace, type Layout } from './generate.js';
import { repeatShifted } from './repeat.js';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures/traces');

export interface Input {
  name: string;
  path: string;
  bytes: number;
  events: number;
}

/** Event lines of a text trace: every line but blank, `#` header and tab-indented callchain lines. */
export function countEvents(path: string): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 22);
  let events = 0;
  let atStart = true;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const c = buf[i];
        if (atStart && c !== 0x0a && c !== 0x23 && c !== 0x09) events++;
        atStart = c === 0x0a;
      }
    }
  } finally {
    closeSync(fd);
  }
  return events;
}

function input(name: string, path: string): Input {
  return { name, path, bytes: statSync(path).size, events: countEvents(path) };
}

/** `xz -dc src > dest` unless dest exists. */
export function unxz(src: string, dest: string): void {
  if (existsSync(dest)) return;
  const tmp = `${dest}.tmp`;
  const fd = openSync(tmp, 'w');
  // stderr is null when xz could not be started at all.
  const r: SpawnSyncReturns<Buffer | null> = spawnSync('xz', ['-dc', src], { stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  if (r.status !== 0) throw new Error(`xz -dc ${src}: ${r.stderr?.toString().trim() || `exit ${r.status}`}`);
  renameSync(tmp, dest);
}

export function tcpBulkText(dir: string): Input {
  const path = join(dir, 'tcp-bulk.ns.txt');
  unxz(join(FIXTURES, 'tcp-bulk.ns.txt.xz'), path);
  return input('tcp-bulk.ns.txt', path);
}

export function tcpBulkData(dir: string): string {
  const path = join(dir, 'tcp-bulk.data');
  unxz(join(FIXTURES, 'tcp-bulk.data.xz'), path);
  return path;
}

export function synthetic(dir: string, events: number, seed: number, layout: Layout): Input {
  const name = `synthetic-${layout}-${events}-s${seed}.txt`;
  const path = join(dir, name);
  if (!existsSync(path)) {
    writeTrace(`${path}.tmp`, { events, seed, layout });
    renameSync(`${path}.tmp`, path);
  }
  return input(name, path);
}

export function repeated(dir: string, base: Input, times: number): Input {
  const name = `tcp-bulk-x${times}.ns.txt`;
  const path = join(dir, name);
  if (!existsSync(path)) {
    repeatShifted(base.path, `${path}.tmp`, times);
    renameSync(`${path}.tmp`, path);
  }
  return { name, path, bytes: statSync(path).size, events: base.events * times };
}

/** A folder of `n` links to one input, each its own partition: `convert` of several inputs at once. */
export function copies(dir: string, base: Input, n: number): Input {
  const folder = join(dir, `${n}-x-${base.name}`);
  mkdirSync(folder, { recursive: true });
  for (let k = 0; k < n; k++) {
    const link = join(folder, `${k + 1}-${base.name}`);
    if (!existsSync(link)) linkSync(base.path, link);
  }
  return { name: `${n} x ${base.name}`, path: folder, bytes: base.bytes * n, events: base.events * n };
}
