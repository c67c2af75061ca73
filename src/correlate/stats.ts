/** What the correlate stage reports besides its tables. */

/** The reference's `debug` block: what is left in its three matching lists at the end, and what the budget pushed out. */
export interface BufferStatus {
  txQueueRemain: number;
  txQueueOverflow: number;
  txXmitRemain: number;
  txXmitOverflow: number;
  rxRemain: number;
  rxOverflow: number;
}

/**
 * Situations the reference handles silently (or not at all). Counted, never fatal: each names what the
 * correlator did, which is what the reference does unless noted.
 */
export interface Anomalies {
  /** irq_handler_exit on a CPU that has no IRQ list (no entry since its last NET_RX softirq_exit): ignored. */
  irqExitWithoutList: number;
  /** irq_handler_exit on a CPU whose IRQ list is empty: the reference would crash (pop from an empty list); ignored. */
  irqExitOnEmptyList: number;
  /** irq_handler_exit whose irq differs from the one on top: the top IRQ is dropped, as in the reference. */
  irqExitMismatch: number;
  /** NET_RX softirq_entry while one was open on that CPU: the open one's events are discarded, as in the reference. */
  softirqReentered: number;
  /** NET_RX softirq_exit with no open softirq on that CPU (its IRQ list is discarded). */
  softirqExitWithoutEntry: number;
  /** NET_RX softirqs closed with no IRQ recorded on their CPU: not hunks (every loopback softirq). */
  softirqsWithoutIrq: number;
  /** Kept hunks holding an IRQ that saw no raise/netif_rx (still open at softirq_exit): the reference's printer would crash on it. */
  hunkIrqsWithoutEvents: number;
  /** net_dev_xmit with rc 0 for an skb that is not in the queue list (e.g. GSO segments never queued). */
  xmitWithoutQueue: number;
  /** net_dev_xmit with rc != 0 (it matches nothing in the reference). */
  xmitFailures: number;
  /** netif_receive_skb outside a NET_RX softirq of its CPU: not recorded, as in the reference. */
  receiveOutsideSoftirq: number;
  /** napi_poll outside a NET_RX softirq of its CPU: not recorded. */
  napiPollOutsideSoftirq: number;
  /** consume_skb of an skb still in the queue list: the reference leaves the entry there. */
  consumeOfQueued: number;
  /** IRQ or NET_RX softirq events on a CPU number >= 65536 (no Linux build has that many): not correlated. */
  cpuOutOfRange: number;
}

/**
 * What the budgets on pending state pushed out (the reference keeps it all and grows without bound). Zero on
 * real traces; non-zero only when IRQs never exit or a NET_RX softirq never ends.
 */
export interface PendingEvictions {
  /** IRQs evicted, oldest first, when more than the budget of IRQs and attached events were alive (across CPUs). */
  irqs: number;
  /** softirq_raise / netif_rx events dropped with them. */
  irqEvents: number;
  /** Open NET_RX softirqs given up, oldest first, when more than the budget of napi_poll / netif_receive_skb events were held in open softirqs (across CPUs); handled like a re-entered softirq: not a hunk. */
  softirqs: number;
  /** napi_poll and netif_receive_skb events they held (the packets stay in rx_packets, with no hunk). */
  softirqEvents: number;
}

/**
 * Rows the correlator flagged as not to be taken at face value (issue 15): counted for the manifest, warned about
 * on stderr. Each is the count of rows whose column says so.
 */
export interface Flagged {
  /** tx_packets / rx_packets rows with time_backwards = 1: a negative latency (time went backwards in the input). */
  txTimeBackwards: number;
  rxTimeBackwards: number;
  /** Rows with match = address_reuse_suspect. */
  txAddressReuseSuspect: number;
  rxAddressReuseSuspect: number;
  /** Rows with lost_near = 1. */
  txLostNear: number;
  rxLostNear: number;
  hunksLostNear: number;
}

export const newFlagged = (): Flagged => ({
  txTimeBackwards: 0,
  rxTimeBackwards: 0,
  txAddressReuseSuspect: 0,
  rxAddressReuseSuspect: 0,
  txLostNear: 0,
  rxLostNear: 0,
  hunksLostNear: 0,
});

export interface CorrelationStats {
  /** Event lines seen (all kinds). */
  events: number;
  /** Netdev events skipped because their payload did not parse (EventBatch.parsed = 0). */
  skippedUnparsed: number;
  /** Events whose time is smaller than the previous event's (processing stays in input order, like the reference). */
  outOfOrderTimestamps: number;
  debug: BufferStatus;
  /** Rows written per output table. */
  rows: Record<string, number>;
  /** Receive hunks kept (= rx_hunks rows) and transmit lifecycles completed (= report transmit lines without dev=). */
  hunks: number;
  txComplete: number;
  anomalies: Anomalies;
  /** Evictions by the budget on pending IRQs and open softirqs (CorrelatorOptions.pendingBudget). */
  evictions: PendingEvictions;
  /** Rows flagged: time going backwards, matches only address reuse explains, lost events near them. */
  flagged: Flagged;
}

export const newAnomalies = (): Anomalies => ({
  irqExitWithoutList: 0,
  irqExitOnEmptyList: 0,
  irqExitMismatch: 0,
  softirqReentered: 0,
  softirqExitWithoutEntry: 0,
  softirqsWithoutIrq: 0,
  hunkIrqsWithoutEvents: 0,
  xmitWithoutQueue: 0,
  xmitFailures: 0,
  receiveOutsideSoftirq: 0,
  napiPollOutsideSoftirq: 0,
  consumeOfQueued: 0,
  cpuOutOfRange: 0,
});

export const newEvictions = (): PendingEvictions => ({ irqs: 0, irqEvents: 0, softirqs: 0, softirqEvents: 0 });

/**
 * One line per kind of flagged row that should not pass silently (stderr, and the manifest's warnings): time that
 * went backwards gives negative latencies. Suspect matches and lost events are counted in the manifest and the
 * summary; the lost events already have their own warning.
 */
export function flaggedWarnings(stats: CorrelationStats): string[] {
  const f = stats.flagged;
  const back = f.txTimeBackwards + f.rxTimeBackwards;
  if (back === 0) return [];
  return [
    `time goes backwards in the input (${stats.outOfOrderTimestamps} events earlier than the one before): ` +
      `${f.txTimeBackwards} tx_packets and ${f.rxTimeBackwards} rx_packets rows have a negative latency ` +
      '(time_backwards = 1; the summary leaves them out); record with absolute times, not --reltime or --deltatime',
  ];
}
