#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// V8 gives a function its type feedback only after several calls; one that turns hot inside its first
// call (the decoder's and encoders' loops over a whole batch) is then optimized without feedback for the
// code it has not reached yet and deoptimizes there, call after call. Feedback from the first call avoids
// those deoptimization loops. Set before any project code is loaded (worker threads share the flag).
setFlagsFromString('--no-lazy-feedback-allocation');
// parquet-wasm's functions start in Liftoff and are recompiled by TurboFan once they have run V8's tiering
// budget. At the default budget (1.8M) hundreds of lukewarm functions are recompiled: about 0.9 s of CPU
// on tcp-bulk, competing with the optimising of our own code for the second core, and a process cannot
// exit before every queued recompilation has finished (0.1-0.3 s on a small trace). At 50M only the
// truly hot encoders tier up: measured, a small trace converts in 0.5-0.7 s instead of 0.8-1.0 s, and
// tcp-bulk in about the same or less wall time with 0.5 s less CPU.
setFlagsFromString('--wasm-tiering-budget=50000000');

// The CLI bundled (scripts/build.mjs); NETDEV_TIMES_MODULES=1 runs it from dist's modules instead, for a
// profile that names each module (npm run bench does).
const { main } = await import(
  process.env.NETDEV_TIMES_MODULES === '1' ? '../dist/cli/main.js' : '../dist/bundle/main.js'
);

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
