#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// V8 gives a function its type feedback only after several calls; one that turns hot inside its first
// call (the decoder's and encoders' loops over a whole batch) is then optimized without feedback for the
// code it has not reached yet and deoptimizes there, call after call. Feedback from the first call avoids
// those deoptimization loops. Set before any project code is loaded (worker threads share the flag).
setFlagsFromString('--no-lazy-feedback-allocation');

const { main } = await import('../dist/cli/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
