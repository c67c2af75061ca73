import { StringTable } from '../core/strings.js';

/**
 * The fixed words the correlate stage writes into dictionary columns. Each column gets its own table so
 * that its Arrow dictionary holds only its own words; ids are fixed by the order of interning here.
 */
function table(words: readonly string[]): StringTable {
  const t = new StringTable();
  for (const w of words) t.idOf(w);
  return t;
}

export const TX_STATUS_WORDS = ['complete', 'dropped_before_xmit', 'xmit_failed', 'not_freed', 'evicted'] as const;
export type TxStatus = (typeof TX_STATUS_WORDS)[number];
export const txStatusTable = table(TX_STATUS_WORDS);
export const enum TxStatusId {
  Complete = 0,
  DroppedBeforeXmit = 1,
  XmitFailed = 2,
  NotFreed = 3,
  Evicted = 4,
}

export const FREED_BY_WORDS = ['consume_skb', 'kfree_skb'] as const;
export const freedByTable = table(FREED_BY_WORDS);
export const enum FreedById {
  ConsumeSkb = 0,
  KfreeSkb = 1,
}

export const HANDLED_BY_WORDS = ['skb_copy_datagram_iovec', 'kfree_skb'] as const;
export const handledByTable = table(HANDLED_BY_WORDS);
export const enum HandledById {
  SkbCopyDatagramIovec = 0,
  KfreeSkb = 1,
}

export const IRQ_EVENT_WORDS = ['softirq_raise', 'netif_rx'] as const;
export const irqEventTable = table(IRQ_EVENT_WORDS);
export const enum IrqEventId {
  SoftirqRaise = 0,
  NetifRx = 1,
}

/** A packet's fate (tx_packets.fate, rx_packets.fate): one word each, defined in docs/summary.md. */
export const FATE_WORDS = ['dropped', 'consumed', 'delivered', 'not_observed'] as const;
export const fateTable = table(FATE_WORDS);
export const enum FateId {
  Dropped = 0,
  Consumed = 1,
  Delivered = 2,
  NotObserved = 3,
}

/** Why a fate is not_observed (fate_why); which applies first: docs/summary.md. */
export const FATE_WHY_WORDS = [
  'events_lost',
  'fate_in_tx',
  'other_device',
  'address_reused',
  'evicted',
  'trace_ended',
] as const;
export const fateWhyTable = table(FATE_WHY_WORDS);
export const enum FateWhyId {
  EventsLost = 0,
  FateInTx = 1,
  OtherDevice = 2,
  AddressReused = 3,
  Evicted = 4,
  TraceEnded = 5,
}

/** How far to trust a match (the `match` column): see docs/summary.md for the rule. */
export const MATCH_WORDS = ['direct', 'address_reuse_suspect'] as const;
export const matchTable = table(MATCH_WORDS);
export const enum MatchId {
  Direct = 0,
  AddressReuseSuspect = 1,
}
