/**
 * Where a plain trace file can be cut into segments that decode independently: at the start of an event
 * line. Decoder state between lines only matters for the tab-indented callchain frames that follow an
 * event, so a cut just before an event line changes nothing but which thread decodes what. Every thread
 * that needs a boundary computes it from the file's bytes alone, so they all agree on it.
 */
import type { FileHandle } from 'node:fs/promises';
import { newEventLine, parseEventLine } from './event-line.js';

const NL = 0x0a;
const TAB = 0x09;
const HASH = 0x23;
const WINDOW = 1 << 16;
/** A boundary is looked for this far past its nominal offset; beyond that the file is not cut there. */
const SEARCH = 1 << 20;

const ev = newEventLine();

/**
 * The start of the first event line at or after `nominal` (a line starts after a newline), or `size`
 * when there is none within SEARCH bytes.
 */
export async function eventLineAtOrAfter(fh: FileHandle, nominal: number, size: number): Promise<number> {
  if (nominal <= 0) return 0;
  const buf = Buffer.allocUnsafe(WINDOW + 1);
  // Looking from nominal - 1: a line that starts exactly at nominal follows the newline just before it.
  let pos = nominal - 1;
  const limit = Math.min(size, nominal + SEARCH);
  while (pos < limit) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(WINDOW, size - pos), pos);
    if (bytesRead === 0) break;
    buf[bytesRead] = NL;
    let nl = buf.indexOf(NL);
    while (nl < bytesRead) {
      const s = nl + 1;
      const e = buf.indexOf(NL, s);
      // The candidate line must lie whole in this window (e < bytesRead) to be judged here.
      if (e >= bytesRead) break;
      let p = s;
      while (p < e && buf[p] === 0x20) p++;
      const c = buf[s];
      if (p < e && c !== TAB && c !== HASH && parseEventLine(buf, s, e, ev, p)) return pos + s;
      nl = e;
    }
    // Go on from the last newline seen, so that a line cut by the window end is judged whole next time.
    const last = buf.lastIndexOf(NL, bytesRead - 1);
    const next = last >= 0 && pos + last > pos ? pos + last : pos + bytesRead;
    if (next <= pos) break;
    pos = next;
  }
  return size;
}
