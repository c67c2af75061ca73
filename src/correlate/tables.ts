import type { StringTable } from '../decode/strings.js';
import { freedByTable, handledByTable, irqEventTable, txStatusTable } from './labels.js';
import type { OutColumnDef } from './row-chunks.js';

/**
 * The correlate stage's output tables. Column order here is the order of `schemas/<table>.json`; the
 * const enums give each column's position for RowChunks. A test keeps the two in step.
 */

/** Dictionaries of the input that output columns share (one set per input: decoder + normaliser). */
export interface SourceTables {
  dev: StringTable;
  comm: StringTable;
  irqName: StringTable;
  location: StringTable;
  reason: StringTable;
}

export const TABLE_NAMES = ['rx_hunks', 'rx_irqs', 'rx_irq_events', 'rx_napi_polls', 'rx_packets', 'tx_packets'] as const;
export type CorrelateTable = (typeof TABLE_NAMES)[number];

export const enum Hunk { HunkId, Cpu, BaseNs, SoftirqEntryNs, SoftirqExitNs, IrqCount, IrqEventCount, NapiPollCount, PacketCount }
export const rxHunkColumns = (): OutColumnDef[] => [
  { name: 'hunk_id', type: 'int32' },
  { name: 'cpu', type: 'int32' },
  { name: 'base_ns', type: 'int64' },
  { name: 'softirq_entry_ns', type: 'int64' },
  { name: 'softirq_exit_ns', type: 'int64' },
  { name: 'irq_count', type: 'int32' },
  { name: 'irq_event_count', type: 'int32' },
  { name: 'napi_poll_count', type: 'int32' },
  { name: 'packet_count', type: 'int32' },
];

export const enum Irq { HunkId, IrqIndex, Cpu, Irq, IrqName, EntryNs, ExitNs, EventCount }
export const rxIrqColumns = (t: SourceTables): OutColumnDef[] => [
  { name: 'hunk_id', type: 'int32' },
  { name: 'irq_index', type: 'int32' },
  { name: 'cpu', type: 'int32' },
  { name: 'irq', type: 'int32' },
  { name: 'irq_name', type: 'dict', table: t.irqName },
  { name: 'entry_ns', type: 'int64' },
  { name: 'exit_ns', type: 'int64' },
  { name: 'event_count', type: 'int32' },
];

export const enum IrqEv { HunkId, IrqIndex, EventIndex, Event, TimeNs, Skbaddr, Len, Dev }
export const rxIrqEventColumns = (t: SourceTables): OutColumnDef[] => [
  { name: 'hunk_id', type: 'int32' },
  { name: 'irq_index', type: 'int32' },
  { name: 'event_index', type: 'int32' },
  { name: 'event', type: 'dict', table: irqEventTable },
  { name: 'time_ns', type: 'int64' },
  { name: 'skbaddr', type: 'uint64' },
  { name: 'len', type: 'int32' },
  { name: 'dev', type: 'dict', table: t.dev },
];

export const enum Napi { HunkId, EventIndex, TimeNs, Dev, Napi, Work, Budget }
export const rxNapiPollColumns = (t: SourceTables): OutColumnDef[] => [
  { name: 'hunk_id', type: 'int32' },
  { name: 'event_index', type: 'int32' },
  { name: 'time_ns', type: 'int64' },
  { name: 'dev', type: 'dict', table: t.dev },
  { name: 'napi', type: 'uint64' },
  { name: 'work', type: 'int32' },
  { name: 'budget', type: 'int32' },
];

export const enum Rx {
  HunkId, EventIndex, Cpu, TimeNs, Skbaddr, Len, Dev, HandledBy, HandledNs, HandledCpu, HandledPid, HandledComm,
  KfreeLocation, KfreeReason, IrqToReceiveNs, ReceiveToHandledNs, Evicted,
}
export const rxPacketColumns = (t: SourceTables): OutColumnDef[] => [
  { name: 'hunk_id', type: 'int32' },
  { name: 'event_index', type: 'int32' },
  { name: 'cpu', type: 'int32' },
  { name: 'time_ns', type: 'int64' },
  { name: 'skbaddr', type: 'uint64' },
  { name: 'len', type: 'int32' },
  { name: 'dev', type: 'dict', table: t.dev },
  { name: 'handled_by', type: 'dict', table: handledByTable },
  { name: 'handled_ns', type: 'int64' },
  { name: 'handled_cpu', type: 'int32' },
  { name: 'handled_pid', type: 'int32' },
  { name: 'handled_comm', type: 'dict', table: t.comm },
  { name: 'kfree_location', type: 'dict', table: t.location },
  { name: 'kfree_reason', type: 'dict', table: t.reason },
  { name: 'irq_to_receive_ns', type: 'int64' },
  { name: 'receive_to_handled_ns', type: 'int64' },
  { name: 'evicted', type: 'int32' },
];

export const enum Tx {
  ReportOrder, Status, Dev, Skbaddr, Len, QueueNs, QueueCpu, QueuePid, QueueComm, XmitNs, XmitCpu, FailedXmitRc,
  FailedXmitNs, FreeNs, FreeCpu, FreedBy, KfreeLocation, KfreeReason, QdiscNs, DeviceNs, Evicted,
}
export const txPacketColumns = (t: SourceTables): OutColumnDef[] => [
  { name: 'report_order', type: 'int32' },
  { name: 'status', type: 'dict', table: txStatusTable },
  { name: 'dev', type: 'dict', table: t.dev },
  { name: 'skbaddr', type: 'uint64' },
  { name: 'len', type: 'int32' },
  { name: 'queue_ns', type: 'int64' },
  { name: 'queue_cpu', type: 'int32' },
  { name: 'queue_pid', type: 'int32' },
  { name: 'queue_comm', type: 'dict', table: t.comm },
  { name: 'xmit_ns', type: 'int64' },
  { name: 'xmit_cpu', type: 'int32' },
  { name: 'failed_xmit_rc', type: 'int32' },
  { name: 'failed_xmit_ns', type: 'int64' },
  { name: 'free_ns', type: 'int64' },
  { name: 'free_cpu', type: 'int32' },
  { name: 'freed_by', type: 'dict', table: freedByTable },
  { name: 'kfree_location', type: 'dict', table: t.location },
  { name: 'kfree_reason', type: 'dict', table: t.reason },
  { name: 'qdisc_ns', type: 'int64' },
  { name: 'device_ns', type: 'int64' },
  { name: 'evicted', type: 'int32' },
];
