/**
 * The half of the report a second thread could take: a trace decoded and normalised in a worker thread, and
 * nothing else (no correlation, no report). Timed from outside, the process's wall time bounds a report split
 * over two threads from below: Node's start, the worker's own start and modules, then every batch decoded
 * and normalised before the last one could be correlated. Runs dist's modules (npm run bench builds them).
 */
import { setFlagsFromString } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

if (isMainThread) {
  // As bin/netdev-times.js sets it for every run of the CLI.
  setFlagsFromString('--no-lazy-feedback-allocation');
  const worker = new Worker(new URL(import.meta.url), { workerData: process.argv[2] });
  worker.on('message', (events) => {
    if (events === 0) process.exitCode = 1;
  });
  worker.on('error', (e) => {
    process.stderr.write(`decode-only: ${e.message}\n`);
    process.exitCode = 1;
  });
} else {
  const { openTraceSource } = await import('../dist/pipeline/source.js');
  const source = await openTraceSource(workerData, { recycle: true });
  let events = 0;
  for await (const batch of source.batches()) events += batch.length;
  parentPort?.postMessage(events);
}
