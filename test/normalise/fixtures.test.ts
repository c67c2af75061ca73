/**
 * Whole-file accounting on every real trace in test/fixtures/traces (all layouts, streamed and decompressed
 * through openTextInput): no rejected line, lines = events + header + callchainFrames + blank + rejected, the
 * per-event counts equal `perf report --stats` (W.stats.log), every netdev payload parses, and the same events
 * come out of W.txt, W.tid.txt, W.ns.txt and W.hdr.txt.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceDecoder, type LineCounts } from '../../src/decode/text/decoder.js';
import { openTextInput } from '../../src/input/open.js';
import { EventKind } from '../../src/normalise/kinds.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { kindOf } from './helpers.js';

const DIR = new URL('../fixtures/traces/', import.meta.url);
const LAYOUT = /^([a-z0-9-]+)\.(txt|tid\.txt|ns\.txt|hdr\.txt)(\.xz)?$/;
type Layout = 'txt' | 'tid.txt' | 'ns.txt' | 'hdr.txt';

interface Stats {
  total: number;
  perEvent: Map<string, number>;
}

/** Parses `perf report --stats`: the aggregated SAMPLE count and each `<event> stats:` block's SAMPLE count. */
export function parseStatsLog(text: string): Stats {
  const perEvent = new Map<string, number>();
  let total = -1;
  let section: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('Aggregated stats:')) {
      section = null;
      continue;
    }
    const head = /^(\S+) stats:$/.exec(line);
    if (head) {
      section = head[1];
      continue;
    }
    const sample = /^\s+SAMPLE events:\s+(\d+)/.exec(line);
    if (!sample) continue;
    if (section === null) total = Number(sample[1]);
    else perEvent.set(section, Number(sample[1]));
  }
  return { total, perEvent };
}

interface FileResult {
  counts: LineCounts;
  /** Newline-terminated lines counted independently of the decoder (plus an unterminated last line). */
  newlineLines: number;
  perEvent: Map<string, number>;
  kinds: Map<string, Set<number>>;
  /** Netdev rows whose payload did not parse completely or was kept, as `event: payload` samples. */
  notClean: string[];
  pidValid: number;
  maxFrames: number;
  eventsWithFrames: number;
  /** Order-sensitive digest of (time in µs, cpu, tid, comm, event, payload) for every row. */
  digest: bigint;
  firstTimeNs: bigint | null;
  lastTimeNs: bigint | null;
}

const utf8 = new TextDecoder();
const MASK = (1n << 64n) - 1n;

async function runFile(path: string, batchSize?: number): Promise<FileResult> {
  const n = new Normaliser();
  const res: FileResult = {
    counts: { lines: 0, events: 0, header: 0, callchainFrames: 0, blank: 0, lost: 0, rejected: 0 },
    newlineLines: 0,
    perEvent: new Map(),
    kinds: new Map(),
    notClean: [],
    pidValid: 0,
    maxFrames: 0,
    eventsWithFrames: 0,
    digest: 0n,
    firstTimeNs: null,
    lastTimeNs: null,
  };
  // 32-bit FNV-1a per row, folded into a 64-bit running digest.
  let digest = 0n;
  const rejects: string[] = [];
  const dec = new TraceDecoder(
    (raw) => {
      const b = n.normalise(raw);
      const names = raw.events.values;
      const comms = raw.comms.values;
      for (let i = 0; i < b.length; i++) {
        const name = names[raw.event[i]];
        res.perEvent.set(name, (res.perEvent.get(name) ?? 0) + 1);
        let ks = res.kinds.get(name);
        if (!ks) res.kinds.set(name, (ks = new Set()));
        ks.add(b.kind[i]);
        if (
          kindOf(b, i) !== EventKind.Other &&
          (b.parsed[i] !== 1 || b.keepPayload[i] !== 0) &&
          res.notClean.length < 5
        ) {
          res.notClean.push(`${name}: ${utf8.decode(raw.arena.subarray(raw.payloadStart[i], raw.payloadEnd[i]))}`);
        }
        res.pidValid += raw.pidValid[i];
        const frames = raw.frameEnd[i] - raw.frameStart[i];
        if (frames > 0) res.eventsWithFrames++;
        if (frames > res.maxFrames) res.maxFrames = frames;
        const t = raw.timeNs[i];
        if (res.firstTimeNs === null) res.firstTimeNs = t;
        res.lastTimeNs = t;
        let h = 0x811c9dc5;
        const mix = (x: number): void => {
          h = Math.imul(h ^ (x & 0xffff), 0x01000193);
          h = Math.imul(h ^ (x >>> 16), 0x01000193);
        };
        const us = t / 1000n;
        mix(Number(us & 0xffffffffn));
        mix(Number(us >> 32n));
        mix(raw.cpu[i]);
        mix(raw.tid[i]);
        const comm = comms[raw.comm[i]];
        for (let k = 0; k < comm.length; k++) mix(comm.charCodeAt(k));
        mix(0x2f2f2f2f);
        for (let k = 0; k < name.length; k++) mix(name.charCodeAt(k));
        for (let p = raw.payloadStart[i]; p < raw.payloadEnd[i]; p++) h = Math.imul(h ^ raw.arena[p], 0x01000193);
        digest = ((digest * 1099511628211n) ^ BigInt(h >>> 0)) & MASK;
      }
    },
    { batchSize, onReject: (r) => rejects.length < 5 && rejects.push(`${r.line}: ${r.reason}: ${r.text}`) },
  );
  const input = await openTextInput(path);
  let last = 0x0a;
  for await (const chunk of input.chunks) {
    const c: Uint8Array = chunk;
    for (let p = c.indexOf(0x0a); p >= 0; p = c.indexOf(0x0a, p + 1)) res.newlineLines++;
    if (c.length > 0) last = c[c.length - 1];
    dec.push(c);
  }
  dec.end();
  if (last !== 0x0a) res.newlineLines++;
  expect(rejects, path).toEqual([]);
  res.counts = { ...dec.counts };
  res.digest = digest;
  return res;
}

const all = readdirSync(DIR);
// Real recordings: a perf script layout of a workload W that has its W.stats.log.
const files = all.filter((f) => LAYOUT.test(f) && all.includes(`${LAYOUT.exec(f)?.[1]}.stats.log`)).sort();
const workloads = [...new Set(files.map((f) => LAYOUT.exec(f)?.[1] ?? ''))];

const NETDEV = new Map<string, EventKind>([
  ['net:net_dev_queue', EventKind.NetDevQueue],
  ['net:net_dev_xmit', EventKind.NetDevXmit],
  ['net:netif_receive_skb', EventKind.NetifReceiveSkb],
  ['net:netif_rx', EventKind.NetifRx],
  ['skb:kfree_skb', EventKind.KfreeSkb],
  ['skb:consume_skb', EventKind.ConsumeSkb],
  ['skb:skb_copy_datagram_iovec', EventKind.SkbCopyDatagramIovec],
  ['napi:napi_poll', EventKind.NapiPoll],
  ['irq:irq_handler_entry', EventKind.IrqHandlerEntry],
  ['irq:irq_handler_exit', EventKind.IrqHandlerExit],
  ['irq:softirq_entry', EventKind.SoftirqEntry],
  ['irq:softirq_exit', EventKind.SoftirqExit],
  ['irq:softirq_raise', EventKind.SoftirqRaise],
]);

describe('parseStatsLog', () => {
  it('reads the SAMPLE counts of eth-npm.stats.log', () => {
    const s = parseStatsLog(readFileSync(new URL('eth-npm.stats.log', DIR), 'utf8'));
    expect(s.total).toBe(4842);
    expect(s.perEvent.get('net:net_dev_xmit')).toBe(65);
    expect(s.perEvent.get('irq:softirq_raise')).toBe(1385);
    expect([...s.perEvent.values()].reduce((a, b) => a + b, 0)).toBe(4842);
  });
});

describe('fixtures', () => {
  it('has every layout of the small workloads', () => {
    for (const w of ['eth-npm', 'http-lo', 'udp-drop', 'mixed', 'callchain']) {
      for (const l of ['txt', 'tid.txt', 'ns.txt', 'hdr.txt']) {
        expect(
          files.some((f) => f === `${w}.${l}` || f === `${w}.${l}.xz`),
          `${w}.${l}`,
        ).toBe(true);
      }
    }
  });
});

describe.each(workloads)('%s', (w) => {
  const stats = parseStatsLog(readFileSync(new URL(`${w}.stats.log`, DIR), 'utf8'));
  const mine = files.filter((f) => LAYOUT.exec(f)?.[1] === w);
  const results = new Map<Layout, FileResult>();

  it.each(mine)('%s: accounting, stats counts, typed fields', async (f) => {
    const layout = (LAYOUT.exec(f)?.[2] ?? 'txt') as Layout;
    const r = await runFile(new URL(f, DIR).pathname);
    results.set(layout, r);
    const c = r.counts;

    expect(c.rejected).toBe(0);
    expect(c.lines).toBe(r.newlineLines);
    expect(c.lines).toBe(c.events + c.header + c.callchainFrames + c.blank + c.lost + c.rejected);

    expect(c.events).toBe(stats.total);
    expect(Object.fromEntries(r.perEvent)).toEqual(Object.fromEntries(stats.perEvent));

    expect(c.header > 0).toBe(layout === 'hdr.txt');
    expect(r.pidValid).toBe(layout === 'tid.txt' ? c.events : 0);
    if (w === 'callchain' && layout !== 'tid.txt') {
      // -g: frames under every event and a blank line after each (-F without ip,sym prints no stacks).
      expect(r.eventsWithFrames).toBe(c.events);
      expect(c.blank).toBe(c.events);
      expect(r.maxFrames).toBeGreaterThan(5);
    } else {
      expect([c.callchainFrames, c.blank]).toEqual([0, 0]);
    }

    // Kinds by exact name; every real 6.18 netdev payload parses completely and needs no raw payload.
    for (const [name, ks] of r.kinds) expect([name, [...ks]]).toEqual([name, [NETDEV.get(name) ?? EventKind.Other]]);
    expect(r.notClean).toEqual([]);
  });

  it('the layouts give the same events (times to the microsecond)', () => {
    const base = results.get('txt');
    expect(base).toBeDefined();
    for (const [layout, r] of results) {
      expect([layout, r.digest]).toEqual([layout, base?.digest]);
      expect([layout, r.firstTimeNs !== null && r.firstTimeNs / 1000n]).toEqual([
        layout,
        base?.firstTimeNs !== null && (base?.firstTimeNs ?? 0n) / 1000n,
      ]);
    }
  });
});

describe('older-kernels.txt', () => {
  it('51 events, nothing else, nothing rejected', async () => {
    const r = await runFile(new URL('older-kernels.txt', DIR).pathname);
    expect(r.counts).toEqual({ lines: 51, events: 51, header: 0, callchainFrames: 0, blank: 0, lost: 0, rejected: 0 });
    expect(r.notClean).toEqual([]);
  });
});

describe('small batches (event names first seen in later batches)', () => {
  it('mixed.ns.txt in batches of 7 gives the same counts and kinds', async () => {
    const path = new URL('mixed.ns.txt', DIR).pathname;
    const whole = await runFile(path);
    const small = await runFile(path, 7);
    expect(small.counts).toEqual(whole.counts);
    expect(small.digest).toBe(whole.digest);
    expect(small.kinds).toEqual(whole.kinds);
    expect(small.notClean).toEqual([]);
  });
});
