/**
 * Bounded under attack: traces built to grow state (skbs queued and never sent, sent and never freed, IRQs
 * that never exit, endless raises, IRQ lists never taken, an endless hunk, received skbs never freed, many
 * CPUs) keep the correlator's state within its budgets, count what was evicted, and convert (the CLI, a
 * child process) in no more memory than a real trace of the same length.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TraceDecoder } from '../../src/decode/text/decoder.js';
import { Correlator, DEFAULT_BUDGET, type CorrelationStats } from '../../src/correlate/index.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { BIN, ROOT, TRACES } from '../helpers/fixtures.js';
import { hasKeys, readJson } from '../helpers/json.js';
import { ATTACKS, attackTrace, writeAttack, type Attack } from './attacks.js';
import { tmp } from './helpers.js';

/** The in-process runs use small budgets (the same code paths, 16 times faster); the CLI runs the defaults. */
const B = 4096;

interface Run {
  stats: CorrelationStats;
  peak: Record<string, number>;
}

/** Streams an attack through decode -> normalise -> correlate, sampling the live records after every batch. */
function correlateAttack(kind: Attack, lines: number): Run {
  const n = new Normaliser();
  // The attacks start inside IRQs: as a part of a trace whose softirq_entry perf has already met.
  const c = new Correlator(() => undefined, { budget: B, pendingBudget: B, softirqEntrySeen: true });
  const peak: Record<string, number> = {};
  const dec = new TraceDecoder(
    (raw) => {
      c.push(n.normalise(raw));
      for (const [k, v] of Object.entries(c.live())) peak[k] = Math.max(peak[k] ?? 0, v);
    },
    { batchSize: 512 },
  );
  const enc = new TextEncoder();
  for (const chunk of attackTrace(kind, lines)) dec.push(enc.encode(chunk));
  dec.end();
  return { stats: c.finish(), peak };
}

describe("the correlator's state stays within its budgets (budgets of 4096, attacks of 8,960 lines)", () => {
  const LINES = 8960;
  const runs = new Map<Attack, Run>();
  beforeAll(() => {
    for (const a of ATTACKS) runs.set(a, correlateAttack(a, LINES));
  });

  it('no attack holds more than a budget of anything', () => {
    for (const [a, { peak }] of runs) {
      expect(peak.irqs + peak.irqEvents, a).toBeLessThanOrEqual(B);
      expect(peak.heldSoftirqEvents, a).toBeLessThanOrEqual(B);
      expect(peak.rxList, a).toBeLessThanOrEqual(B);
      expect(peak.rxPackets, a).toBeLessThanOrEqual(2 * B);
      expect(peak.txQueue, a).toBeLessThanOrEqual(B);
      expect(peak.txXmit, a).toBeLessThanOrEqual(B);
    }
  });

  it('skbs queued and never sent: the queue list evicts, counted as the reference counts it', () => {
    const { stats, peak } = runs.get('queued-never-sent') as Run;
    expect(peak.txQueue).toBe(B);
    expect(stats.debug).toMatchObject({ txQueueOverflow: LINES - B, txQueueRemain: B });
    expect(stats.rows.tx_packets).toBe(LINES);
  });

  it('skbs sent and never freed: the xmit list evicts', () => {
    const { stats } = runs.get('sent-never-freed') as Run;
    expect(stats.debug).toMatchObject({ txXmitOverflow: LINES / 2 - B, txXmitRemain: B });
  });

  it('IRQs that never exit: the oldest IRQs are evicted', () => {
    const { stats, peak } = runs.get('irq-never-exits') as Run;
    expect(peak.irqs).toBe(B);
    expect(stats.evictions).toEqual({ irqs: LINES - B, irqEvents: 0, softirqs: 0, softirqEvents: 0 });
  });

  it('an IRQ that never exits and raises NET_RX forever: evicted with its raises', () => {
    const { stats } = runs.get('endless-raises') as Run;
    expect(stats.evictions).toEqual({ irqs: 1, irqEvents: B, softirqs: 0, softirqEvents: 0 });
  });

  it('IRQs kept on a CPU that never runs a NET_RX softirq_exit: evicted oldest first', () => {
    const { stats } = runs.get('irqs-never-taken') as Run;
    expect(stats.evictions.irqs).toBeGreaterThan(LINES / 3 - B / 2 - 1);
    expect(stats.evictions.irqEvents).toBe(stats.evictions.irqs);
  });

  it('an endless hunk: the softirq is given up at the budget, what follows is outside any softirq', () => {
    const { stats } = runs.get('endless-hunk') as Run;
    expect(stats.evictions).toEqual({ irqs: 0, irqEvents: 0, softirqs: 1, softirqEvents: B });
    expect(stats.anomalies.receiveOutsideSoftirq + stats.anomalies.napiPollOutsideSoftirq).toBe(LINES - 4 - B);
    expect(stats.hunks).toBe(0);
  });

  it('received skbs never freed: the receive list evicts; every hunk is still written', () => {
    const { stats } = runs.get('received-never-freed') as Run;
    const packets = Math.floor(LINES / 22) * 16 + Math.max(0, (LINES % 22) - 4);
    expect(stats.debug).toMatchObject({ rxOverflow: packets - B, rxRemain: B });
    expect(stats.hunks).toBe(Math.floor(LINES / 22));
    expect(stats.rows.rx_packets).toBe(packets);
    expect(stats.evictions).toEqual({ irqs: 0, irqEvents: 0, softirqs: 0, softirqEvents: 0 });
  });

  it('softirqs open on 2,986 CPUs: the oldest are given up', () => {
    const { stats } = runs.get('many-cpus') as Run;
    expect(stats.evictions.softirqs).toBeGreaterThan(0);
    expect(stats.evictions.softirqEvents).toBeGreaterThan(0);
  });
});

describe('convert (the CLI) on 200,000-line attacks: peak memory of a real trace of the same length', () => {
  const LINES = 200_000;
  const probe = `${ROOT}bench/rusage-probe.mjs`;
  const dir = tmp();
  /** The manifest's correlation counts (snake_case keys). */
  interface ManifestCorrelation {
    debug: { tx_queue_overflow: number };
    evictions: { irqs: number; irq_events: number; softirqs: number; softirq_events: number };
  }
  const results = new Map<string, { rssMb: number; manifest: { correlation: ManifestCorrelation } }>();

  /** Converts `input` in a child and returns its peak RSS (all threads) and manifest. */
  async function convertChild(name: string, input: string): Promise<void> {
    const usage = join(dir, `${name}.rusage.json`);
    const out = join(dir, `${name}.out`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn('node', ['--import', probe, BIN, 'convert', input, '-o', out, '-q'], {
        env: { ...process.env, NETDEV_TIMES_BENCH_RUSAGE: usage },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${name}: exit ${code}: ${err}`))));
    });
    results.set(name, {
      rssMb: readJson(usage, hasKeys<{ maxRssKb: number }>('maxRssKb')).maxRssKb / 1024,
      manifest: readJson(join(out, 'manifest.json'), hasKeys<{ correlation: ManifestCorrelation }>('correlation')),
    });
  }

  const attacks: Attack[] = ['queued-never-sent', 'irq-never-exits', 'endless-hunk'];
  beforeAll(async () => {
    const normal = join(dir, 'normal.txt');
    execFileSync('sh', ['-c', `xz -dc '${TRACES}tcp-bulk.ns.txt.xz' | head -n ${LINES} > '${normal}'`]);
    for (const a of attacks) writeAttack(join(dir, `${a}.txt`), a, LINES);
    await Promise.all([convertChild('normal', normal), ...attacks.map((a) => convertChild(a, join(dir, `${a}.txt`)))]);
  }, 180_000);

  it('each attack peaks within 25% (+16 MB) of the real trace, and its evictions are in the manifest', () => {
    const normal = results.get('normal')?.rssMb ?? 0;
    expect(normal).toBeGreaterThan(0);
    for (const a of attacks) {
      const r = results.get(a);
      expect(r, a).toBeDefined();
      expect(r?.rssMb, `${a}: ${r?.rssMb.toFixed(0)} MB vs ${normal.toFixed(0)} MB`).toBeLessThan(normal * 1.25 + 16);
    }
    const D = DEFAULT_BUDGET;
    const corr = (a: Attack): ManifestCorrelation => {
      const r = results.get(a);
      if (!r) throw new Error(`${a} did not run`);
      return r.manifest.correlation;
    };
    expect(corr('queued-never-sent').debug.tx_queue_overflow).toBe(LINES - D);
    expect(corr('irq-never-exits').evictions.irqs).toBe(LINES - D);
    expect(corr('endless-hunk').evictions).toMatchObject({ softirqs: 1, softirq_events: D });
  });
});
