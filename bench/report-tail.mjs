/**
 * The part of a report that must wait for the whole trace: after the last batch is correlated, the correlator
 * ends every lifecycle still open and the renderer writes what it held back (the transmit lines and the debug
 * block). Timed inside one report (dist's modules, as the CLI runs them), from the last batch to the report's
 * end; its last stdout line is `{"seconds": ...}`. A report split over two threads could end no sooner than
 * its decoding half alone (bench/decode-only.mjs) and then this.
 */
import { setFlagsFromString } from 'node:v8';

// As bin/netdev-times.js sets it for every run of the CLI.
setFlagsFromString('--no-lazy-feedback-allocation');
const { reportFromText } = await import('../dist/pipeline/report.js');
let lastBatch = 0;
let chars = 0;
await reportFromText(
  process.argv[2],
  (text) => {
    chars += text.length;
  },
  {},
  {
    onProgress: () => {
      lastBatch = performance.now();
    },
  },
);
const seconds = (performance.now() - lastBatch) / 1000;
process.stdout.write(JSON.stringify({ seconds, chars }) + '\n');
