/** The 13 tracepoints netdev-times understands; everything else is `Other` and kept with its payload. */
export const enum EventKind {
  Other = 0,
  NetDevQueue = 1,
  NetDevXmit = 2,
  NetifReceiveSkb = 3,
  NetifRx = 4,
  KfreeSkb = 5,
  ConsumeSkb = 6,
  SkbCopyDatagramIovec = 7,
  NapiPoll = 8,
  IrqHandlerEntry = 9,
  IrqHandlerExit = 10,
  SoftirqEntry = 11,
  SoftirqExit = 12,
  SoftirqRaise = 13,
}

/** Event names exactly as perf prints them: prefixes such as `net:netif_rx_entry` are other events. */
export const EVENT_NAMES: ReadonlyArray<readonly [string, EventKind]> = [
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
];

const BY_NAME = new Map<string, EventKind>(EVENT_NAMES);

export function kindOfName(name: string): EventKind {
  return BY_NAME.get(name) ?? EventKind.Other;
}
