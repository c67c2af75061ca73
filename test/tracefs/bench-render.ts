/** Rendering speed over tcp-bulk (by hand: `npx tsx test/tracefs/bench-render.ts`). */
import { ByteBuffer, parseTracingData, type EventFormat } from '../../src/tracefs/index.js';
import { loadSamples } from './oracle.js';

const { tracing, samples } = loadSamples('tcp-bulk');
const formats = parseTracingData(tracing);
const evs: EventFormat[] = samples.map((s) => {
  const e = formats.byId(s.bytes[s.start] | (s.bytes[s.start + 1] << 8));
  if (!e) throw new Error('unknown id');
  return e;
});
const out = new ByteBuffer(1 << 24);
for (let round = 0; round < 5; round++) {
  const t0 = process.hrtime.bigint();
  out.reset();
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    evs[i].render(s.bytes, s.start, s.end, out);
    if (out.len > 1 << 23) out.reset();
  }
  const ns = Number(process.hrtime.bigint() - t0);
  console.log(
    `round ${round}: ${samples.length} payloads in ${(ns / 1e6).toFixed(1)} ms = ${(((samples.length / ns) * 1e9) / 1e6).toFixed(2)} M payloads/s`,
  );
}
