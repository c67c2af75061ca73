/**
 * The report split over two threads, as the bench measures it (not the CLI's way): the main thread decodes and
 * normalises, a worker thread correlates and renders. Each batch's columns the correlator reads are copied into
 * a buffer that is moved to the worker and moved back once read (a pool of them: no fresh memory per batch),
 * with the dictionary entries new since the last batch; the worker sends the report's text back in pieces,
 * which the main thread writes to stdout. Its output is the CLI's report, byte for byte (a test holds it);
 * its time, next to the CLI's one-thread report, is what a split gains here. Runs dist's modules. The kernel's
 * lost-event records are not passed on: they flag rows, never a line of the report.
 */
import { setFlagsFromString } from 'node:v8';
import { writeSync } from 'node:fs';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

// As bin/netdev-times.js sets it for every run of the CLI (worker threads share the flag).
setFlagsFromString('--no-lazy-feedback-allocation');

/** The columns the correlator reads (correlate/batch-view.ts, dispatch.ts): name and element kind. */
const COLUMNS = [
  ['time', 'pair'],
  ['cpu', 'i32'],
  ['tid', 'i32'],
  ['comm', 'i32'],
  ['skb', 'pair'],
  ['len', 'i32'],
  ['dev', 'i32'],
  ['rc', 'i32'],
  ['irq', 'i32'],
  ['irqName', 'i32'],
  ['napi', 'pair'],
  ['work', 'i32'],
  ['budget', 'i32'],
  ['location', 'i32'],
  ['reason', 'i32'],
  ['vecName', 'i32'],
  ['vec', 'i32'],
  ['kind', 'u8'],
  ['parsed', 'u8'],
  ['workValid', 'u8'],
  ['budgetValid', 'u8'],
  ['vecValid', 'u8'],
];
const BYTES = { pair: 8, i32: 4, u8: 1 };
/** Dictionaries whose ids the columns hold, by the name of the column that holds them. */
const DICTS = ['comm', 'dev', 'irqName', 'vecName', 'location', 'reason'];
/** Buffers in flight at most: the main thread waits for one to come back past this. */
const POOL = 6;

/** The arrays of an EventBatch that the columns name. */
function columnsOf(b) {
  const r = b.raw;
  return {
    time: r.timeWords,
    cpu: r.cpu,
    tid: r.tid,
    comm: r.comm,
    skb: b.skbaddr.words,
    len: b.len.values,
    dev: b.dev.ids,
    rc: b.rc.values,
    irq: b.irq.values,
    irqName: b.irqName.ids,
    napi: b.napi.words,
    work: b.work.values,
    budget: b.budget.values,
    location: b.location.ids,
    reason: b.reason.ids,
    vecName: b.vecName.ids,
    vec: b.vec.values,
    kind: b.kind,
    parsed: b.parsed,
    workValid: b.work.valid,
    budgetValid: b.budget.valid,
    vecValid: b.vec.valid,
  };
}

const bufferSize = (capacity) => COLUMNS.reduce((s, [, k]) => s + BYTES[k] * capacity, 0);

/** Views of a buffer laid out for `capacity` rows, column after column. */
function viewsOf(buf, capacity) {
  const v = {};
  let off = 0;
  for (const [name, k] of COLUMNS) {
    if (k === 'u8') v[name] = new Uint8Array(buf, off, capacity);
    else if (k === 'pair') v[name] = new Uint32Array(buf, off, 2 * capacity);
    else v[name] = new Int32Array(buf, off, capacity);
    off += BYTES[k] * capacity;
  }
  return v;
}

function copyColumns(to, from, n) {
  for (const [name, k] of COLUMNS) to[name].set(from[name].subarray(0, k === 'pair' ? 2 * n : n));
}

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  const { openTraceSource } = await import('../dist/pipeline/source.js');
  const source = await openTraceSource(process.argv[2], { recycle: true });
  const free = [];
  let wake = null;
  let made = 0;
  const finished = new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (m) => {
      if (m.buffer) free.push(m.buffer);
      if (m.text) writeSync(1, m.text);
      if (m.done) resolve();
      if (wake && free.length > 0) {
        const w = wake;
        wake = null;
        w();
      }
    });
  });
  const sent = Object.fromEntries(DICTS.map((d) => [d, 0]));
  let capacity = 0;
  for await (const batch of source.batches()) {
    capacity ||= batch.raw.cpu.length;
    if (free.length === 0 && made < POOL) {
      free.push(new ArrayBuffer(bufferSize(capacity)));
      made++;
    }
    if (free.length === 0) await new Promise((r) => (wake = r));
    const buffer = free.pop();
    copyColumns(viewsOf(buffer, capacity), columnsOf(batch), batch.length);
    const tables = {
      comm: batch.raw.comms,
      dev: batch.dev.table,
      irqName: batch.irqName.table,
      vecName: batch.vecName.table,
      location: batch.location.table,
      reason: batch.reason.table,
    };
    const strings = {};
    for (const d of DICTS) {
      const t = tables[d];
      if (t.size > sent[d])
        strings[d] = Array.from({ length: t.size - sent[d] }, (_, k) => t.bytesOf(sent[d] + k).slice());
      sent[d] = t.size;
    }
    worker.postMessage({ n: batch.length, capacity, buffer, strings }, [buffer]);
  }
  worker.postMessage({ end: true });
  await finished;
  await worker.terminate();
} else {
  const { Correlator } = await import('../dist/correlate/correlator.js');
  const { ReportRenderer } = await import('../dist/report/report-renderer.js');
  const { FieldTables, newEventBatch } = await import('../dist/normalise/event-batch.js');
  const { newRawBatch } = await import('../dist/decode/raw-batch.js');
  const { StringTable } = await import('../dist/core/strings.js');
  const fields = new FieldTables();
  const comms = new StringTable();
  const tables = {
    comm: comms,
    dev: fields.dev,
    irqName: fields.irqName,
    vecName: fields.vecName,
    location: fields.location,
    reason: fields.reason,
  };
  let batch = null;
  let into = null;
  let text = [];
  let chars = 0;
  const renderer = new ReportRenderer((s) => {
    text.push(s);
    chars += s.length;
    if (chars >= 1 << 16) {
      parentPort.postMessage({ text: text.join('') });
      text = [];
      chars = 0;
    }
  });
  const correlator = new Correlator((table, chunk) => renderer.push(table, chunk), { reuseChunks: true });
  parentPort.on('message', (m) => {
    if (m.end) {
      renderer.finish(correlator.finish().debug);
      parentPort.postMessage({ text: text.join(''), done: true });
      return;
    }
    if (batch === null) {
      // One batch of the decoders' capacity, filled from each buffer in turn.
      const raw = newRawBatch(m.capacity, comms, new StringTable(), new Uint8Array(0));
      raw.length = m.capacity;
      batch = newEventBatch(raw, fields);
      into = columnsOf(batch);
    }
    for (const d of DICTS) for (const b of m.strings[d] ?? []) tables[d].idOfBytes(b, 0, b.length);
    copyColumns(into, viewsOf(m.buffer, m.capacity), m.n);
    parentPort.postMessage({ buffer: m.buffer }, [m.buffer]);
    batch.length = m.n;
    batch.raw.length = m.n;
    correlator.push(batch);
  });
}
