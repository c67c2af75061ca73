/**
 * Regenerates test/fixtures/perf-data/tracing/ from the recordings with perf 6.1 (run as root, by hand:
 * `npx tsx test/tracefs/make-fixtures.ts`). Not a test: the tests read what this wrote.
 *
 * For each recording: NAME.tracing.bin (its HEADER_TRACING_DATA blob) and NAME.expected.txt.xz, one line per
 * sample in perf's order: `timeNs cpu event payload` as perf script prints it on this machine (which has no
 * kallsyms for the recording's kernel, so %pS prints 0x…). When the recording machine's own perf script text
 * (in /work/shared/traces, made with the matching kallsyms) prints a different payload, the next line is a tab
 * and that payload. NAME.kallsyms is a synthetic kallsyms built from those resolved locations.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMaybeXz, walkPerfData } from './perf-file.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${ROOT}test/fixtures/perf-data/tracing/`;
const SHARED = '/work/shared/traces/';

interface Rec {
  name: string;
  data: string;
  resolved: string | null;
  pipe?: boolean;
}

export const RECORDINGS: Rec[] = [
  { name: 'callchain', data: 'test/fixtures/traces/callchain.data', resolved: `${SHARED}callchain.ns.txt.xz` },
  { name: 'eth-npm', data: 'test/fixtures/traces/eth-npm.data', resolved: `${SHARED}eth-npm.ns.txt` },
  { name: 'http-lo', data: 'test/fixtures/traces/http-lo.data', resolved: `${SHARED}http-lo.ns.txt` },
  { name: 'mixed', data: 'test/fixtures/traces/mixed.data', resolved: `${SHARED}mixed.ns.txt` },
  { name: 'udp-drop', data: 'test/fixtures/traces/udp-drop.data', resolved: `${SHARED}udp-drop.ns.txt` },
  { name: 'tcp-bulk', data: 'test/fixtures/traces/tcp-bulk.data.xz', resolved: `${SHARED}tcp-bulk.ns.txt.xz` },
  { name: 'odd-comm', data: 'test/fixtures/perf-data/odd-comm.data', resolved: `${SHARED}native/odd-comm.ns.txt` },
  { name: 'zstd', data: 'test/fixtures/perf-data/zstd.data', resolved: `${SHARED}native/zstd.ns.txt` },
  { name: 'pipe', data: 'test/fixtures/perf-data/pipe.data', resolved: `${SHARED}native/pipe.ns.txt`, pipe: true },
  { name: 'lost', data: 'test/fixtures/perf-data/lost.data.xz', resolved: `${SHARED}native/lost.ns.txt.xz` },
];

const LINE = /^\[(\d+)\] +(\d+)\.(\d{9}): +(\S+): (.*)$/s;

function perfScript(rec: Rec, raw: Uint8Array): Buffer {
  // perf reads file mode only from a seekable file, pipe mode only from stdin.
  const tmp = join(tmpdir(), `netdev-times-${rec.name}.data`);
  if (!rec.pipe) writeFileSync(tmp, raw);
  const args = ['script', '--ns', '-F', 'cpu,time,event,trace', '-i', rec.pipe ? '-' : tmp];
  const out = execFileSync('perf', args, {
    input: rec.pipe ? raw : undefined,
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  if (!rec.pipe) rmSync(tmp);
  return out;
}

function splitLines(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 10) {
      out.push(b.subarray(s, i));
      s = i + 1;
    }
  }
  if (s < b.length) out.push(b.subarray(s));
  return out;
}

function main(): void {
  for (const rec of RECORDINGS) {
    const raw = readMaybeXz(`${ROOT}${rec.data}`);
    const tracing = walkPerfData(raw, () => {});
    writeFileSync(`${OUT}${rec.name}.tracing.bin`, tracing);
    const here = splitLines(perfScript(rec, raw)).map((l) => l.toString('latin1'));
    let theirs: string[] | null = null;
    if (rec.resolved && existsSync(rec.resolved)) {
      theirs = splitLines(Buffer.from(readMaybeXz(rec.resolved)))
        .map((l) => l.toString('latin1'))
        .filter((l) => l.length > 0 && l[0] !== '\t');
      if (theirs.length !== here.length)
        throw new Error(`${rec.name}: ${theirs.length} resolved lines, ${here.length} here`);
    }
    const out: string[] = [];
    const syms = new Map<bigint, string>();
    for (let i = 0; i < here.length; i++) {
      const m = LINE.exec(here[i]);
      if (!m) throw new Error(`${rec.name}: line ${i + 1} unparsed: ${here[i]}`);
      const [, cpu, s, ns, event, payload] = m;
      out.push(`${BigInt(s) * 1_000_000_000n + BigInt(ns)} ${Number(cpu)} ${event} ${payload}`);
      if (theirs) {
        const anchor = `${s}.${ns}: `;
        const t = theirs[i];
        const at = t.indexOf(anchor);
        const evAt = t.indexOf(`${event}: `, at);
        if (at < 0 || evAt < 0) throw new Error(`${rec.name}: line ${i + 1} does not align: ${t}`);
        const p2 = t.slice(evAt + event.length + 2);
        if (p2 !== payload) {
          out.push(`\t${p2}`);
          // Pair each unresolved 0x address with its resolved sym+0xoff to make a synthetic kallsyms.
          const a = [...payload.matchAll(/location=0x([0-9a-f]+)/g)];
          const b = [...p2.matchAll(/location=([^ ]+)\+0x([0-9a-f]+)/g)];
          for (let k = 0; k < a.length && k < b.length; k++)
            syms.set(BigInt(`0x${a[k][1]}`) - BigInt(`0x${b[k][2]}`), b[k][1]);
        }
      }
    }
    const text = Buffer.from(out.join('\n') + '\n', 'latin1');
    writeFileSync(
      `${OUT}${rec.name}.expected.txt.xz`,
      execFileSync('xz', ['-9', '-c'], { input: text, maxBuffer: 1 << 30 }),
    );
    const ks = [...syms]
      .sort((x, y) => (x[0] < y[0] ? -1 : 1))
      .map(([a, n]) => `${a.toString(16).padStart(16, '0')} T ${n}`);
    if (ks.length) writeFileSync(`${OUT}${rec.name}.kallsyms`, ks.join('\n') + '\n');
    console.log(rec.name, here.length, 'lines', syms.size, 'symbols', tracing.length, 'tracing bytes');
  }
}

main();
