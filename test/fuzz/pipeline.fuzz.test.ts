/**
 * Property-based tests (fast-check) over the decoder, the normaliser and the correlator: random bytes,
 * mutated real lines from test/fixtures/traces and event lines with random field values, fed in random
 * chunks and batch sizes. Properties: nothing but a NetdevTimesError is ever thrown (here: nothing at all),
 * the accounting identity holds, line counts match the newlines, and the result does not depend on the
 * chunking. Every input that ever broke a property is kept in test/fixtures/bad/fuzz/ and replayed.
 *
 * Quick by default (a few hundred runs per property). Long runs: NDT_FUZZ_RUNS=20000 npx vitest run test/fuzz;
 * NDT_FUZZ_SEED=<n> replays a seed; NDT_FUZZ_SAVE=1 writes a failing input to the corpus folder.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceDecoder, type LineCounts } from '../../src/decode/text/decoder.js';
import { unescapeBytes } from '../../src/core/strings.js';
import { NetdevTimesError } from '../../src/core/errors.js';
import { Correlator } from '../../src/correlate/index.js';
import { EventKind } from '../../src/normalise/kinds.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { chunkRows } from '../correlate/helpers.js';
import { kindOf } from '../normalise/helpers.js';
import { TRACES } from '../helpers/fixtures.js';

const RUNS = Number(process.env.NDT_FUZZ_RUNS ?? 150);
const SEED = process.env.NDT_FUZZ_SEED === undefined ? undefined : Number(process.env.NDT_FUZZ_SEED);
const CORPUS = fileURLToPath(new URL('../fixtures/bad/fuzz/', import.meta.url));
const BAD = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));

interface Outcome {
  counts: LineCounts;
  /** Everything the pipeline produced, as one comparable string. */
  digest: string;
  rows: number;
}

const utf8 = new TextDecoder();

/**
 * Decodes, normalises and correlates `bytes` fed in pieces cut at `cuts`, with a small pending budget so
 * that evictions happen too. Throws whatever the pipeline throws.
 */
export function runPipeline(bytes: Uint8Array, cuts: number[] = [], batchSize = 7, maxLineBytes?: number): Outcome {
  const n = new Normaliser();
  const h = createHash('sha256');
  // Rejects are reported as lines are read, rows when a batch is full: kept apart, each in its own order.
  const rejects = createHash('sha256');
  let rows = 0;
  // Chunk sizes depend on the batching; the rows of each table, in order, must not.
  const tables = new Map<string, ReturnType<typeof createHash>>();
  const correlator = new Correlator(
    (table, chunk) => {
      rows += chunk.length;
      let t = tables.get(table);
      if (!t) tables.set(table, (t = createHash('sha256')));
      for (const r of chunkRows(chunk))
        t.update(JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    },
    { budget: 4, pendingBudget: 3, chunkRows: 5 },
  );
  const dec = new TraceDecoder(
    (raw) => {
      const b = n.normalise(raw);
      for (let i = 0; i < b.length; i++) {
        const comm = raw.comms.values[raw.comm[i]];
        wellFormed(comm, raw.line[i]);
        wellFormed(raw.events.values[raw.event[i]], raw.line[i]);
        for (let f = raw.frameStart[i]; f < raw.frameEnd[i]; f++) wellFormed(raw.frames[f], raw.line[i]);
        h.update(
          `${raw.line[i]} ${raw.timeNs[i]} ${raw.cpu[i]} ${raw.tid[i]} ${comm} ${raw.events.values[raw.event[i]]} `,
        );
        h.update(`${b.kind[i]} ${b.parsed[i]} ${b.keepPayload[i]} ${raw.frameEnd[i] - raw.frameStart[i]}\n`);
        // A netdev row is either fully parsed or keeps its payload: nothing is lost.
        const kind = kindOf(b, i);
        if (kind !== EventKind.Other && b.parsed[i] === 0 && b.keepPayload[i] !== 1)
          throw new Error(`line ${raw.line[i]}: unparsed netdev row without payload`);
        if (kind === EventKind.Other && b.keepPayload[i] !== 1)
          throw new Error(`line ${raw.line[i]}: other event without payload`);
        h.update(utf8.decode(raw.arena.subarray(raw.payloadStart[i], raw.payloadEnd[i])));
      }
      correlator.push(b);
    },
    {
      batchSize,
      maxLineBytes,
      onReject: (r) => {
        wellFormed(r.text, r.line);
        if (Buffer.byteLength(r.text) > 4 * 200) throw new Error(`line ${r.line}: reject text not cut`);
        rejects.update(`reject ${r.line} ${r.reason} ${r.text}\n`);
      },
    },
  );
  let p = 0;
  for (const c of [...cuts].sort((a, b) => a - b).concat(bytes.length)) {
    const e = Math.min(Math.max(c, p), bytes.length);
    dec.push(bytes.slice(p, e));
    p = e;
  }
  dec.end();
  const stats = correlator.finish();
  h.update(JSON.stringify(stats));
  h.update(rejects.digest('hex'));
  for (const name of [...tables.keys()].sort()) h.update(`${name}:${tables.get(name)?.digest('hex')};`);
  return { counts: { ...dec.counts }, digest: h.digest('hex'), rows };
}

/** Table strings are valid UTF-8 (core/strings.ts escapes what is not): no lone surrogate, nothing replaced. */
function wellFormed(s: string, line: number): void {
  if (Buffer.from(s, 'utf8').toString('utf8') !== s || s.includes('\ufffd'))
    throw new Error(`line ${line}: string ${JSON.stringify(s)} is not well-formed, or lost a byte`);
}

/** Lines in `bytes` as a reader counts them: one per newline, plus a last one without it. */
function newlineLines(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? n + 1 : n;
}

/** The properties every input must have; throws (a plain Error) with what broke. */
export function checkInput(bytes: Uint8Array, cuts: number[], batchSize: number, maxLineBytes?: number): void {
  let a: Outcome;
  try {
    a = runPipeline(bytes, cuts, batchSize, maxLineBytes);
  } catch (e) {
    if (e instanceof NetdevTimesError) return;
    throw new Error(`threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`, { cause: e });
  }
  const c = a.counts;
  if (c.lines !== c.events + c.header + c.callchainFrames + c.blank + c.lost + c.rejected)
    throw new Error(`identity broken: ${JSON.stringify(c)}`);
  if (c.lines !== newlineLines(bytes)) throw new Error(`${c.lines} lines counted, ${newlineLines(bytes)} in the text`);
  const whole = runPipeline(bytes, [], 16384, maxLineBytes);
  if (whole.digest !== a.digest)
    throw new Error(`result depends on chunking/batching (cuts ${cuts.join(',')}, batch ${batchSize})`);
}

/** Runs a property; with NDT_FUZZ_SAVE=1 the shrunk counterexample is written to the corpus. */
function assertProperty(name: string, arb: fc.Arbitrary<[Uint8Array, number[], number]>, maxLineBytes?: number): void {
  const prop = fc.property(arb, ([bytes, cuts, batch]) => checkInput(bytes, cuts, batch, maxLineBytes));
  const details = fc.check(prop, { numRuns: RUNS, seed: SEED });
  if (details.failed && details.counterexample) {
    const [bytes] = details.counterexample[0];
    if (process.env.NDT_FUZZ_SAVE) {
      mkdirSync(CORPUS, { recursive: true });
      const file = join(CORPUS, `${name}-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.txt`);
      writeFileSync(file, bytes);
    }
  }
  fc.assert(prop, {
    numRuns: 1,
    seed: details.seed,
    path: details.counterexamplePath ?? undefined,
    endOnFailure: true,
  });
  expect(details.failed, fc.defaultReportMessage(details) ?? '').toBe(false);
}

// --- material ---------------------------------------------------------------------------------------------

/** Sample lines of every layout: default, --ns, pid/tid, --header, -g frames, the older formats. */
const SAMPLES: string[] = (() => {
  const lines: string[] = [];
  const take = (file: string, every: number): void => {
    const all = readFileSync(file, 'latin1').split('\n');
    for (let i = 0; i < all.length; i += every) lines.push(all[i]);
  };
  take(`${TRACES}eth-npm.txt`, 61);
  take(`${TRACES}eth-npm.ns.txt`, 97);
  take(`${TRACES}eth-npm.tid.txt`, 89);
  take(`${TRACES}eth-npm.hdr.txt`, 113);
  take(`${TRACES}older-kernels.txt`, 1);
  take(`${BAD}unknown-formats.txt`, 1);
  lines.push(
    'bash 15480 [001]  1537.164815:           irq:softirq_raise: vec=9 [action=RCU]',
    '\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])',
    '\t      12c0000000 [unknown] ([unknown])',
    '',
    '            bash 14934 [001]  1521.380262:               skb:kfree_skb: skbaddr=0xffff8881061a6300 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x91 reason: NO_SOCKET',
    '     kworker/3:1   212 [003] 183204.551002:       irq:irq_handler_entry: irq=11 name=iwlwifi: default queue',
    '             :-1    -1 [001]  1520.917692:       irq:irq_handler_entry: irq=36 name=virtio1-req.0',
  );
  return lines;
})();

const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');

/** Bytes that matter to the parsers, so that mutations hit their branches. */
const SPECIAL = [...Array.from(' []:./-=()x0123456789\t\r\n#'), 'a', 'f', 'F', '\0', '\xff'].map((c) =>
  c.charCodeAt(0),
);

const mutation = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    at: fc.nat(),
    byte: fc.oneof(fc.constantFrom(...SPECIAL), fc.integer({ min: 0, max: 255 })),
  }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    byte: fc.oneof(fc.constantFrom(...SPECIAL), fc.integer({ min: 0, max: 255 })),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('digits' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 25 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(line: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Array.from(line);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    switch (m.op) {
      case 'set':
        if (at < b.length) b[at] = m.byte;
        break;
      case 'insert':
        b.splice(at, 0, m.byte);
        break;
      case 'delete':
        b.splice(at, m.len);
        break;
      case 'dup':
        b.splice(at, 0, ...b.slice(at, at + m.len));
        break;
      case 'digits':
        b.splice(at, 0, ...Array.from({ length: m.len }, (_, k) => 0x30 + ((at + k * 7) % 10)));
        break;
      case 'cut':
        b = b.slice(0, at);
        break;
    }
  }
  return Uint8Array.from(b);
}

const withChunking = (bytes: fc.Arbitrary<Uint8Array>): fc.Arbitrary<[Uint8Array, number[], number]> =>
  fc
    .tuple(bytes, fc.array(fc.nat({ max: 1 << 16 }), { maxLength: 6 }), fc.integer({ min: 1, max: 9 }))
    .map(([b, cuts, batch]) => [b, cuts.map((c) => (b.length === 0 ? 0 : c % (b.length + 1))), batch]);

const join8 = (parts: Uint8Array[], sep: string): Uint8Array => {
  const s = enc(sep);
  const out: number[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(...s);
    out.push(...p);
  });
  return Uint8Array.from(out);
};

/** Real lines, some mutated, joined by LF or CRLF, with or without a last newline. */
const mutatedTrace = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...SAMPLES), fc.array(mutation, { maxLength: 4 })), {
      minLength: 1,
      maxLength: 30,
    }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([lines, sep, lastNl]) => {
    const body = join8(
      lines.map(([l, ms]) => mutate(enc(l), ms)),
      sep,
    );
    return lastNl ? Uint8Array.from([...body, ...enc(sep)]) : body;
  });

/** Event lines built from random field values: CPU numbers, threads, times, addresses, lengths, vectors. */
const bigDigits = fc.oneof(
  fc.integer({ min: -5, max: 70000 }).map(String),
  fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }).map(String),
);
const hex = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 72n) - 1n }).map((v) => `0x${v.toString(16)}`),
  fc.constantFrom('(nil)', '0x', '0xzz', '-0x1', '18446744073709551616'),
);
const eventName = fc.constantFrom(
  'net:net_dev_queue',
  'net:net_dev_xmit',
  'net:netif_receive_skb',
  'net:netif_rx',
  'skb:kfree_skb',
  'skb:consume_skb',
  'skb:skb_copy_datagram_iovec',
  'napi:napi_poll',
  'irq:irq_handler_entry',
  'irq:irq_handler_exit',
  'irq:softirq_entry',
  'irq:softirq_exit',
  'irq:softirq_raise',
  'sched:sched_switch',
  'net:netif_receive_skb_entry',
);
const payload = fc
  .record({
    skb: hex,
    len: bigDigits,
    rc: bigDigits,
    irq: bigDigits,
    vec: bigDigits,
    loc: fc.constantFrom('tcp_v4_rcv+0x91', '0xffffffff81584a2c', ''),
  })
  .map(
    (v) =>
      `dev=eth0 skbaddr=${v.skb} len=${v.len} rc=${v.rc} irq=${v.irq} name=eth0 vec=${v.vec} [action=NET_RX] napi poll on napi struct ${v.skb} for device eth0 work ${v.len} budget ${v.rc} protocol=${v.len} location=${v.loc} reason: X`,
  );
const generatedLine = fc
  .record({
    comm: fc.constantFrom('swapper', 'npm view left-p', ':-1', 'a b:c/d', ''),
    tid: fc.oneof(
      bigDigits,
      fc.tuple(bigDigits, bigDigits).map(([p, t]) => `${p}/${t}`),
    ),
    cpu: fc.oneof(fc.integer({ min: 0, max: 3 }).map(String), bigDigits),
    secs: fc.oneof(fc.integer({ min: 0, max: 20 }).map(String), bigDigits, fc.constant('9223372036')),
    frac: fc.oneof(
      fc.integer({ min: 0, max: 999999 }).map((v) => String(v).padStart(6, '0')),
      fc.stringMatching(/^[0-9]{0,12}$/),
    ),
    event: eventName,
    payload: fc.oneof(
      payload,
      fc.constantFrom('', 'irq=61 name=eth0', 'irq=61 ret=handled', 'vec=3 [action=NET_RX]', 'skbaddr=0x1 len=1'),
    ),
  })
  .map((f) => `${f.comm} ${f.tid} [${f.cpu}] ${f.secs}.${f.frac}: ${f.event}: ${f.payload}`);
const generatedTrace = fc.array(generatedLine, { minLength: 1, maxLength: 40 }).map((ls) => enc(ls.join('\n') + '\n'));

/** Cuts every `step` bytes (1 to 64): the decoder sees a line, a head, a UTF-8 sequence cut anywhere. */
const withFineChunking = (bytes: fc.Arbitrary<Uint8Array>): fc.Arbitrary<[Uint8Array, number[], number]> =>
  fc
    .tuple(bytes, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 9 }))
    .map(([b, step, batch]) => [
      b,
      Array.from({ length: Math.floor(b.length / step) }, (_, k) => (k + 1) * step),
      batch,
    ]);

/**
 * Thread names as a hostile process sets them (prctl: any bytes but NUL, at most 15): bytes that are not
 * UTF-8, cut sequences, tabs, `#`, brackets, digits, imitations of perf's own columns; printed as perf prints
 * them (`%16s ` padded, or -g's `%s ` with frames after), with `%5d`/`%7d` and pid/tid threads.
 */
const hostileName = fc.oneof(
  fc
    .constantFrom(
      'x [000] 1.000: ',
      '7 [000] 1.000: ',
      '1 [0] 1.1: a:b:',
      '    1 [0] 1.1: ',
      'tab\there:x',
      '#comm',
      '\tffff sym',
      '12345',
      '-1',
      ':-1',
      'a\\b',
    )
    .map((s) => Buffer.from(s, 'latin1')),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(0x20, 0x09, 0x23, 0x3a, 0x5b, 0x5d, 0x2f, 0x2e, 0x5c, 0xff, 0xfe, 0xc3, 0xe2, 0x82, 0xed, 0xa0),
        fc.integer({ min: 0x30, max: 0x39 }),
        fc.integer({ min: 1, max: 255 }).filter((c) => c !== 0x0a),
      ),
      { maxLength: 15 },
    )
    .map((a) => Buffer.from(a)),
);
const hostileLine = fc
  .record({
    name: hostileName,
    g: fc.boolean(),
    thread: fc.constantFrom('%5d', '%7d', '%5d/%-5d', '%7d/%-7d'),
    pid: fc.integer({ min: 0, max: 4194304 }),
    tid: fc.integer({ min: 0, max: 4194304 }),
    cpu: fc.integer({ min: 0, max: 255 }),
    secs: fc.integer({ min: 0, max: 99999 }),
    ns: fc.boolean(),
    frac: fc.integer({ min: 0, max: 999999999 }),
    event: eventName,
    payload: fc.oneof(payload, fc.constantFrom('vec=3 [action=NET_RX]', 'prev_comm=x [000] 1.000: a:b:     7 [001]')),
  })
  .map((f) => {
    const w = f.thread.startsWith('%7') ? 7 : 5;
    const thread = f.thread.includes('/')
      ? `${String(f.pid).padStart(w)}/${String(f.tid).padEnd(w)}`
      : String(f.tid).padStart(w);
    const frac = f.ns ? String(f.frac).padStart(9, '0') : String(f.frac % 1000000).padStart(6, '0');
    const comm = f.g ? f.name : Buffer.concat([Buffer.alloc(Math.max(0, 16 - f.name.length), 0x20), f.name]);
    const rest = ` ${thread} [${String(f.cpu).padStart(3, '0')}] ${String(f.secs).padStart(5)}.${frac}: ${f.event.padStart(20)}: ${f.payload}\n`;
    const frames = f.g ? '\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])\n\n' : '';
    return Buffer.concat([comm, enc(rest + frames)]);
  });
const hostileTrace = fc
  .array(hostileLine, { minLength: 1, maxLength: 30 })
  .map((ls) => Uint8Array.from(Buffer.concat(ls)));

/** Lines around a small line limit (64 to 512 bytes): under it, at it, past it, and past it with no newline. */
const hugeLines = fc
  .array(
    fc.oneof(
      fc.constantFrom(...SAMPLES).map((l) => enc(l + '\n')),
      fc
        .tuple(fc.integer({ min: 1, max: 2000 }), fc.constantFrom(0x61, 0x20, 0xff, 0x5b), fc.boolean())
        .map(([n, c, nl]) => Uint8Array.from([...Buffer.alloc(n, c), ...(nl ? [0x0a] : [])])),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => Uint8Array.from(Buffer.concat(parts)));

// --- properties -------------------------------------------------------------------------------------------

describe('fuzz: decode -> normalise -> correlate', () => {
  it('random bytes', () => {
    assertProperty('random', withChunking(fc.uint8Array({ maxLength: 3000 })));
  });

  it('random bytes around real lines', () => {
    const arb = fc
      .tuple(fc.uint8Array({ maxLength: 200 }), mutatedTrace, fc.uint8Array({ maxLength: 200 }))
      .map(([a, b, c]) => Uint8Array.from([...a, ...b, ...c]));
    assertProperty('wrapped', withChunking(arb));
  });

  it('mutated real lines (every layout), LF or CRLF', () => {
    assertProperty('mutated', withChunking(mutatedTrace));
  });

  it('event lines with random field values (huge CPU numbers, threads, times, addresses)', () => {
    assertProperty('generated', withChunking(generatedTrace));
  });

  it('hostile thread names (not UTF-8, imitating the columns) in every layout, cut every few bytes', () => {
    assertProperty('hostile', withChunking(hostileTrace));
    assertProperty('hostile-fine', withFineChunking(hostileTrace));
  });

  it('every name of a hostile trace is read back as its bytes', () => {
    fc.assert(
      fc.property(hostileLine, (line) => {
        const comms: string[] = [];
        const d = new TraceDecoder((raw) => {
          for (let i = 0; i < raw.length; i++) comms.push(raw.comms.values[raw.comm[i]]);
        });
        d.push(line);
        d.end();
        expect(d.counts.rejected).toBe(0);
        expect(comms).toHaveLength(1);
        // The name as perf printed it, less what cannot be told from padding (test/adversarial/names.test.ts).
        const back = unescapeBytes(comms[0]);
        expect(line.includes(back)).toBe(true);
      }),
      { numRuns: RUNS * 2, seed: SEED },
    );
  });

  it('lines longer than the limit, in any chunking', () => {
    for (const limit of [64, 200, 512]) {
      assertProperty(`huge-${limit}`, withChunking(hugeLines), limit);
      assertProperty(`huge-fine-${limit}`, withFineChunking(hugeLines), limit);
    }
  });

  it('random bytes cut every few bytes', () => {
    assertProperty('random-fine', withFineChunking(fc.uint8Array({ maxLength: 1500 })));
  });
});

describe('the corpus of inputs that broke something once', () => {
  const files = readdirSync(CORPUS).filter((f) => !f.startsWith('.'));
  it('is not empty', () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    it(`${f} keeps every property, in any chunking`, () => {
      const bytes = readFileSync(join(CORPUS, f));
      for (const [cuts, batch] of [
        [[], 16384],
        [[1], 1],
        [[bytes.length >> 1], 2],
        [[3, 17, 64, 65], 3],
      ] as [number[], number][]) {
        checkInput(bytes, cuts, batch);
      }
    });
  }
});
