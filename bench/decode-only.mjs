/**
 * The half of the report a split over two threads keeps on its main thread (bench/report-split.mjs): a trace
 * decoded and normalised, and nothing else (no correlation, no report). Timed from outside, the process's
 * wall time bounds such a split from below: Node's start, the modules, then every batch decoded and
 * normalised before the last one could be correlated. On the main thread, not a worker: a worker starts
 * later (0.70 s against 0.61 s for tcp-bulk.data), and the bound is the split's best arrangement. Runs dist's
 * modules (npm run bench builds them).
 */
import { setFlagsFromString } from 'node:v8';

// As bin/netdev-times.js sets it for every run of the CLI.
setFlagsFromString('--no-lazy-feedback-allocation');
const { openTraceSource } = await import('../dist/pipeline/source.js');
const source = await openTraceSource(process.argv[2], { recycle: true });
let events = 0;
for await (const batch of source.batches()) events += batch.length;
if (events === 0) {
  process.stderr.write('decode-only: no events\n');
  process.exitCode = 1;
}
