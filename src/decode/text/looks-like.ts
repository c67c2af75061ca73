import type { LineCounts } from './decoder.js';
import { inputLabel } from '../../input/open.js';
import { NetdevTimesError } from '../../core/errors.js';

/**
 * A file in which no line is an event is not a trace (an empty one is an empty trace): the error (exit 1)
 * that says what it looks like instead, or null for a trace.
 */
export function notATrace(path: string, c: LineCounts, head: Uint8Array): NetdevTimesError | null {
  if (c.events > 0 || c.lines === c.blank) return null;
  return new NetdevTimesError(
    `${inputLabel(path)}: no perf event line in ${c.lines} lines (${c.rejected} rejected); it looks like ${looksLike(head)}`,
    1,
  );
}

/**
 * What a file that holds no perf event line looks like instead, so the error can say more than "no events".
 * Runs once per failed input, on its first bytes: not a hot path.
 */
export function looksLike(head: Uint8Array): string {
  if (head.length === 0) return 'an empty file';
  const magic = (...m: number[]): boolean => m.every((b, i) => head[i] === b);
  if (
    magic(0xd4, 0xc3, 0xb2, 0xa1) ||
    magic(0xa1, 0xb2, 0xc3, 0xd4) ||
    magic(0x4d, 0x3c, 0xb2, 0xa1) ||
    magic(0xa1, 0xb2, 0x3c, 0x4d) ||
    magic(0x0a, 0x0d, 0x0d, 0x0a)
  ) {
    return "a packet capture (pcap/pcapng, as tcpdump writes), not 'perf script' output";
  }
  if (magic(0x7f, 0x45, 0x4c, 0x46)) return 'an ELF executable or library, not text';
  let nul = 0;
  let ctl = 0;
  for (const c of head) {
    if (c === 0) nul++;
    else if (c < 0x09 || (c > 0x0d && c < 0x20)) ctl++;
  }
  if (nul > 0 || ctl > head.length / 20) return 'binary data, not text';
  const text = new TextDecoder('utf-8').decode(head);
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const t = first.trimStart();
  if (text.includes('softirq_entry(+') || /^\s+dev\s+len\s+Qdisc/m.test(text) || /^debug buffer status/m.test(text)) {
    return "a netdev-times report (the output of the analysis), not 'perf script' output";
  }
  if (/^cpus=\d+/.test(first) || /^version = \d+/.test(first))
    return "a 'trace-cmd report' text, not 'perf script' output";
  if (/^# tracer:/m.test(text)) return 'an ftrace text dump (/sys/kernel/tracing/trace), not perf script output';
  if (t.startsWith('{') || t.startsWith('[')) return 'JSON';
  if (/^<\?xml|^<html|^<!doctype/i.test(t)) return 'XML/HTML';
  if ((first.match(/,/g) ?? []).length >= 3) return 'CSV';
  return `text whose first line is '${first.slice(0, 80)}'`;
}
