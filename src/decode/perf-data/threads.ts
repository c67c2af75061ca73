/**
 * Thread names as perf script prints them (tools/perf/util/machine.c, thread.c): a thread perf never saw a
 * COMM for is `:<tid>`; FORK gives the child its parent's name when the parent had one set; COMM renames
 * (exec or prctl); EXIT changes nothing (perf keeps the thread, samples may follow). The name printed is the
 * latest set when the sample is delivered, which in perf's delivery order is the one valid at its time.
 * Names are ids in the shared comm StringTable, taken from the bytes perf would print, trimmed as the text
 * decoder trims its comm column, so both paths intern the same bytes.
 */
import type { StringTable } from '../../core/strings.js';

const SP = 0x20;

export class Threads {
  /** tid -> comm id; and whether that name was set (perf's comm_set: only then does a fork pass it on). */
  private readonly comm = new Map<number, number>();
  private readonly commSet = new Set<number>();
  private lastTid = NaN;
  private lastComm = -1;
  private readonly scratch = new Uint8Array(16);

  constructor(private readonly comms: StringTable) {
    // perf registers the idle thread as `swapper` (perf_session__register_idle_thread).
    this.set(0, this.internBytes(new TextEncoder().encode('swapper'), 0, 7));
  }

  /** The comm id of thread `tid`, made `:<tid>` when perf would make the thread now. */
  commOf(tid: number): number {
    if (tid === this.lastTid) return this.lastComm;
    let id = this.comm.get(tid);
    if (id === undefined) {
      id = this.unnamed(tid);
      this.comm.set(tid, id);
    }
    this.lastTid = tid;
    this.lastComm = id;
    return id;
  }

  /** COMM: b[s, e) holds the NUL-terminated name. */
  setComm(tid: number, b: Uint8Array, s: number, e: number): void {
    let end = s;
    while (end < e && b[end] !== 0) end++;
    this.set(tid, this.internBytes(b, s, end));
  }

  /** FORK: a new thread `tid` (any old one of that tid is gone), named as its parent when the parent's name was set. */
  fork(tid: number, parentTid: number): void {
    const parentSet = this.commSet.has(parentTid);
    const parentComm = parentSet ? this.comm.get(parentTid) : undefined;
    this.commSet.delete(tid);
    this.comm.delete(tid);
    if (parentComm !== undefined) this.set(tid, parentComm);
    else {
      // perf makes the parent thread if it does not exist yet (machine__findnew_thread), unnamed.
      if (!this.comm.has(parentTid)) this.comm.set(parentTid, this.unnamed(parentTid));
      this.comm.set(tid, this.unnamed(tid));
    }
    this.lastTid = NaN;
  }

  private set(tid: number, id: number): void {
    this.comm.set(tid, id);
    this.commSet.add(tid);
    this.lastTid = NaN;
  }

  private unnamed(tid: number): number {
    const text = `:${tid}`;
    const b = this.scratch;
    for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
    return this.comms.idOfBytes(b, 0, text.length);
  }

  /** The text decoder's trim of perf's `%16s` column: leading spaces, trailing spaces and tabs. */
  private internBytes(b: Uint8Array, s: number, e: number): number {
    // perf script pads the comm column on the left: leading spaces are padding to the text decoder too, and
    // everything after them (trailing spaces and tabs included) is the name.
    while (s < e && b[s] === SP) s++;
    return this.comms.idOfBytes(b, s, e);
  }
}
