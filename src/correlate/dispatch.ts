import type { EventBatch } from '../normalise/event-batch.js';
import { EventKind } from '../normalise/kinds.js';
import type { BatchView } from './batch-view.js';
import type { Receive } from './receive.js';
import type { Transmit } from './transmit.js';

/**
 * The per-event loop of the correlator, kept apart from everything else on purpose. V8 compiles a loop
 * that turns hot inside its first call on stack (OSR) and keeps that code for later calls; code in the
 * same function that had not run yet when it was compiled (a kind of event not seen so far, the lines
 * after the loop) deoptimizes it, again on every batch. So the loop holds nothing but the dispatch,
 * through a table (one call site that goes megamorphic in the first batch and never deoptimizes), and
 * ends in a plain return; each handler is optimized, and deoptimized if need be, on its own.
 */
type Handler = (rx: Receive, tx: Transmit, v: BatchView, i: number) => void;

const NET_RX_VEC = 3;

/** The reference's test: symbol_str(vec) == "NET_RX"; the number only when no name was printed. */
function isNetRx(v: BatchView, i: number): boolean {
  const id = v.vecName[i];
  return id >= 0 ? v.netRx[id] === 1 : v.vecValid[i] === 1 && v.vec[i] === NET_RX_VEC;
}

const ignore: Handler = () => undefined;

function handlerTable(): Handler[] {
  // Every byte value has an entry: an unknown kind costs no bounds check and does nothing.
  const h: Handler[] = [];
  for (let k = 0; k < 256; k++) h.push(ignore);
  h[EventKind.IrqHandlerEntry] = (rx, _tx, v, i) => rx.irqEntry(v, i);
  h[EventKind.IrqHandlerExit] = (rx, _tx, v, i) => rx.irqExit(v, i);
  // Raise and exit are tested by softirq_entry's symbols, which exist from the first softirq_entry on (Receive).
  h[EventKind.SoftirqRaise] = (rx, _tx, v, i) => {
    if (rx.softirqNamesKnown && isNetRx(v, i)) rx.softirqRaise(v, i);
  };
  h[EventKind.SoftirqEntry] = (rx, _tx, v, i) => {
    rx.softirqNamesKnown = true;
    if (isNetRx(v, i)) rx.softirqEntry(v, i);
  };
  h[EventKind.SoftirqExit] = (rx, _tx, v, i) => {
    if (rx.softirqNamesKnown && isNetRx(v, i)) rx.softirqExit(v, i);
  };
  h[EventKind.NapiPoll] = (rx, _tx, v, i) => rx.napiPoll(v, i);
  h[EventKind.NetifReceiveSkb] = (rx, _tx, v, i) => rx.netifReceiveSkb(v, i);
  h[EventKind.NetifRx] = (rx, _tx, v, i) => rx.netifRx(v, i);
  // Besides the reference's matching, each side looks (never takes) at what the other's events say about its
  // pending packets: the fate columns (issue 15). The reference's lists are not changed by a look.
  h[EventKind.SkbCopyDatagramIovec] = (rx, tx, v, i) => {
    rx.skbCopyDatagramIovec(v, i);
    tx.noteDelivered(v, i);
  };
  h[EventKind.NetDevQueue] = (rx, tx, v, i) => {
    rx.packets.noteQueued(v, i);
    tx.netDevQueue(v, i);
  };
  h[EventKind.NetDevXmit] = (_rx, tx, v, i) => tx.netDevXmit(v, i);
  h[EventKind.ConsumeSkb] = (rx, tx, v, i) => {
    rx.packets.noteFreed(v, i, tx.consumeSkb(v, i));
  };
  // The transmit lists first; a kfree_skb that matched none of them is the receive list's.
  h[EventKind.KfreeSkb] = (rx, tx, v, i) => {
    if (tx.kfreeSkb(v, i)) rx.packets.noteFreed(v, i, true);
    else rx.kfreeSkb(v, i);
  };
  return h;
}

const HANDLERS: readonly Handler[] = handlerTable();

/** Runs the handler of every parsed event of the batch (bound to `v`) in input order; returns the unparsed count. */
export function dispatch(rx: Receive, tx: Transmit, v: BatchView, b: EventBatch): number {
  const kind = b.kind;
  const parsed = b.parsed;
  const n = b.length;
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-comparison -- kinds live in a Uint8Array column, typed number
    if (k === EventKind.Other) continue;
    if (parsed[i] === 0) {
      skipped++;
      continue;
    }
    HANDLERS[k](rx, tx, v, i);
  }
  return skipped;
}

/**
 * Events among the first n of time words `tw` (int32 views of non-negative int64 times) whose time is
 * below the previous one's, the one before the first being (prevLo, prevHi). Ends in a plain return (see above).
 */
export function countOutOfOrder(tw: Int32Array, n: number, prevLo: number, prevHi: number): number {
  // The high word compares as is (times are non-negative); the low one unsigned: sign bit flipped.
  let lastLo = prevLo ^ SIGN;
  let lastHi = prevHi;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const lo = tw[2 * i] ^ SIGN;
    const hi = tw[2 * i + 1];
    if (hi < lastHi || (hi === lastHi && lo < lastLo)) count++;
    lastLo = lo;
    lastHi = hi;
  }
  return count;
}

const SIGN = -0x80000000;
