/**
 * The head of the last event line decoded: its bytes up to the `.` of the time (padding, comm, thread, cpu,
 * seconds) and what parseEventHead found in them. Consecutive lines mostly come from one thread on one cpu
 * within one second, so their heads are the same bytes: one compare then stands for the search for `[cpu]`,
 * the thread token, the seconds and the comm's lookup in its table.
 */
import { equalBytes, viewOf } from '../../core/bytes.js';
import type { EventLine } from './event-line.js';

/** Longer heads (a very long comm) are not kept. */
const MAX_HEAD = 64;

export class HeadCache {
  private readonly bytes = new Uint8Array(MAX_HEAD);
  private readonly view = viewOf(this.bytes);
  /** Bytes in the kept head; 0 when none is kept. */
  private len = 0;
  /** Fields of the kept head; the comm as offsets from the line's start. */
  private commStart = 0;
  private commEnd = 0;
  private pid = 0;
  private hasPid = false;
  private tid = 0;
  private cpu = 0;
  private secs = 0;
  /** The kept comm's id in the decoder's comm table. */
  commId = -1;

  /**
   * When the line b[s, e) (bv a view of b) starts with the kept head: sets out's head fields as
   * parseEventHead would and returns the index after the head; -1 when it does not. The pid is set only
   * when the head has one, as parseEventHead leaves the last one in place otherwise.
   */
  match(b: Uint8Array, bv: DataView, s: number, e: number, out: EventLine): number {
    const len = this.len;
    if (len === 0 || s + len > e || !equalBytes(this.bytes, this.view, 0, b, bv, s, len)) return -1;
    out.commStart = s + this.commStart;
    out.commEnd = s + this.commEnd;
    if (this.hasPid) out.pid = this.pid;
    out.hasPid = this.hasPid;
    out.tid = this.tid;
    out.cpu = this.cpu;
    out.secs = this.secs;
    return s + len;
  }

  /** Keeps the head b[s, afterDot) of an event line, with its fields (in `ev`) and its comm's id. */
  keep(b: Uint8Array, s: number, afterDot: number, ev: EventLine, commId: number): void {
    const len = afterDot - s;
    if (len > MAX_HEAD) {
      this.len = 0;
      return;
    }
    const bytes = this.bytes;
    for (let i = 0; i < len; i++) bytes[i] = b[s + i];
    this.len = len;
    this.commStart = ev.commStart - s;
    this.commEnd = ev.commEnd - s;
    this.pid = ev.pid;
    this.hasPid = ev.hasPid;
    this.tid = ev.tid;
    this.cpu = ev.cpu;
    this.secs = ev.secs;
    this.commId = commId;
  }
}
