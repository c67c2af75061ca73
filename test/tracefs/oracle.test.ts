/**
 * Every sample of every recording rendered and compared, byte for byte, with the payload perf 6.1 printed:
 * without symbols (this machine's perf has no kallsyms for those kernels: %pS prints 0x…), and with the
 * recording machine's symbols (its perf script text), through a kallsyms built from those resolved locations.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ByteBuffer, KernelSymbols, parseTracingData, setSymbols } from '../../src/tracefs/index.js';
import { readMaybeXz } from './perf-file.js';
import { FIXTURES, RECORDINGS, loadSamples } from './oracle.js';

/** zstd.data has no build id: perf on this machine resolved its %pS with this machine's /proc/kallsyms. */
const HOST_KALLSYMS = `${FIXTURES}host-6.18.44-fc-v1272.kallsyms.xz`;
const HERE_SYMBOLS: Record<string, string> = { zstd: HOST_KALLSYMS };

function kallsyms(path: string): KernelSymbols {
  return KernelSymbols.fromKallsyms(Buffer.from(readMaybeXz(path)).toString('latin1'));
}

describe('payloads rendered as perf 6.1 prints them', () => {
  for (const name of Object.keys(RECORDINGS)) {
    it(name, () => {
      const { tracing, samples, unmatched } = loadSamples(name);
      expect(unmatched).toBe(0);
      expect(samples.length).toBeGreaterThan(0);
      const formats = parseTracingData(tracing);
      const out = new ByteBuffer(1 << 16);
      const modes: ['here' | 'resolved', KernelSymbols | null][] = [
        ['here', HERE_SYMBOLS[name] ? kallsyms(HERE_SYMBOLS[name]) : null],
      ];
      const synthetic = `${FIXTURES}${name}.kallsyms`;
      if (existsSync(synthetic))
        modes.push(['resolved', KernelSymbols.fromKallsyms(readFileSync(synthetic, 'latin1'))]);
      const counts: Record<string, { same: number; differ: number }> = {};
      const firstDiffs: string[] = [];
      for (const [mode, symbols] of modes) {
        setSymbols(formats, symbols);
        for (const s of samples) {
          const id = s.bytes[s.start] | (s.bytes[s.start + 1] << 8);
          const ev = formats.byId(id);
          expect(ev?.fullName).toBe(s.expected.event);
          if (!ev) continue;
          out.reset();
          ev.render(s.bytes, s.start, s.end, out);
          const got = Buffer.from(out.bytes()).toString('latin1');
          const want = s.expected[mode];
          const c = (counts[`${mode} ${ev.fullName}`] ??= { same: 0, differ: 0 });
          if (got === want) c.same++;
          else {
            c.differ++;
            if (firstDiffs.length < 5) firstDiffs.push(`${mode} ${ev.fullName}\n  got  ${got}\n  want ${want}`);
          }
        }
      }
      expect(firstDiffs).toEqual([]);
      expect(Object.values(counts).every((c) => c.differ === 0)).toBe(true);
    });
  }
});
