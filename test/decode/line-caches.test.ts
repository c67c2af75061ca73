/**
 * The decoder reuses what it found on the last event line (HeadCache: the head up to the time's `.`;
 * EventNames: the padded event-name field). An event line must decode the same in any company: as part of
 * a text and alone (callchain frames, which belong to the event before them, are left out).
 */
import { describe, expect, it } from 'vitest';
import { decode, type Row } from './helpers.js';

interface Outcome {
  row?: Omit<Row, 'line'>;
  reason?: string;
}

function alone(line: string): Outcome {
  const d = decode(line + '\n');
  if (d.rows.length === 1) {
    const { line: _, ...row } = d.rows[0];
    return { row };
  }
  return { reason: d.rejects[0]?.reason ?? 'blank or header' };
}

/** Each line's outcome when decoded with all the others, in order. */
function inText(lines: string[]): Outcome[] {
  const d = decode(lines.join('\n') + '\n', { batchSize: 5 });
  const byLine = new Map<number, Outcome>();
  for (const { line, ...row } of d.rows) byLine.set(line, { row });
  for (const r of d.rejects) byLine.set(r.line, { reason: r.reason });
  return lines.map((_, i) => byLine.get(i + 1) ?? { reason: 'blank or header' });
}

const HEAD = '       perf-exec 15638 [001]  1541.';

describe('lines decode the same after a line with the same head or the same event field', () => {
  it('same head, different tails', () => {
    const lines = [
      `${HEAD}804814724:           irq:softirq_raise: vec=7 [action=SCHED]`,
      `${HEAD}804819770:           irq:softirq_entry: vec=7 [action=SCHED]`,
      `${HEAD}804826765:            irq:softirq_exit: vec=7 [action=SCHED]`,
      `${HEAD}80482676x:            irq:softirq_exit: vec=7`,
      `${HEAD}804826765:x           irq:softirq_exit: glued to the time`,
      `${HEAD}804826765:            Irq:softirq_exit: first letter`,
      `${HEAD}804826765:            irq:softirq_exiT: last letter`,
      `${HEAD}804826765:            irq:softirq_exit:`,
      `${HEAD}804826765:           irq:softirq_exit : x`,
      `${HEAD}804826765: irq:softirq_exit: unpadded`,
      `${HEAD}804826765:           irq:softirq_exit:: x`,
      `${HEAD}804826765:            irq:softirq_exit:  two spaces`,
      `${HEAD}804826    :            irq:softirq_exit: x`,
      `${HEAD}804826:            irq:softirq_exit: usec`,
      `${HEAD}8048267651:            irq:softirq_exit: ten digits`,
      `${HEAD}12345678:           net:netif_rx: eight digits`,
      `${HEAD}1234:           net:netif_rx: four digits`,
      `${HEAD}:           net:netif_rx: no digits`,
      HEAD,
      `${HEAD}1`,
      '       perf-exec 15638/15639 [001]  1541.804826765:            irq:softirq_exit: pid',
      '       perf-exec 15638/15639 [001]  1541.804826765:            irq:softirq_exit: pid again',
      '       perf-exec 15638 [001]  1541.804826765:            irq:softirq_exit: tid only',
      '       perf-exec 15638 [001]  1542.000000001:            irq:softirq_exit: next second',
      ' perf-exec 15638 [001]  1542.000000001:            irq:softirq_exit: less padding',
      '       perf-exec 15638 [001]  1542.000000001:            irq:softirq_exit: again',
      '',
      '       perf-exec 15638 [001]  1542.000000001:           irq:softirq_entry: after a blank line',
      '# header',
      '       perf-exec 15638 [001]  9223372036.854775807:           irq:softirq_entry: last ns',
      '       perf-exec 15638 [001]  9223372036.854775808:           irq:softirq_entry: past it',
      '       perf-exec 15638 [001]  9223372036.854775807:     irq:softirq_entry: narrower',
    ];
    expect(inText(lines)).toEqual(lines.map(alone));
  });

  it('random edits of consecutive lines (fixed seed)', () => {
    const templates = [
      `${HEAD}804814724:           irq:softirq_raise: vec=7 [action=SCHED]`,
      `${HEAD}804819770:           irq:softirq_entry: vec=7 [action=SCHED]`,
      '         swapper     0 [000]  1541.804826765:        net:netif_receive_skb: dev=lo skbaddr=0x1 len=84',
      '         swapper     0 [000]  1541.804826765:             net:netif_rx: dev=lo skbaddr=0x1 len=84',
      ' npm view left-p 14937/14937 [000]  1520.604816:           irq:softirq_raise: vec=1 [action=TIMER]',
    ];
    const alphabet = ' \t[]0123456789/-:.ab';
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const lines: string[] = [];
    for (let k = 0; k < 1500; k++) {
      let l = templates[rand(templates.length)];
      if (rand(3) === 0) {
        const at = rand(l.length + 1);
        const c = alphabet[rand(alphabet.length)];
        const op = rand(3);
        l =
          op === 0
            ? l.slice(0, at) + c + l.slice(at)
            : op === 1
              ? l.slice(0, at) + l.slice(at + 1)
              : l.slice(0, at) + c + l.slice(at + 1);
      }
      lines.push(l);
    }
    expect(inText(lines)).toEqual(lines.map(alone));
  });
});
