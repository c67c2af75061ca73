import type { StringTable } from '../core/strings.js';
import { NetdevTimesError } from '../core/errors.js';
import type { OutColumnDef } from './column-def.js';
import {
  fateTable,
  fateWhyTable,
  freedByTable,
  handledByTable,
  irqEventTable,
  matchTable,
  txStatusTable,
} from './labels.js';
import { tableSpec } from './schema.js';

/**
 * The correlate stage's output tables, as `schemas/<table>.json` declares them: names, order and types come
 * from the schema files; this module only says which dictionary each string column shares. The const enums
 * give each column's position for RowChunks (positions cannot be read from JSON at compile time); a test
 * holds every enum member to its schema column.
 */

/** Dictionaries of the input that output columns share (one set per input: decoder + normaliser). */
export interface SourceTables {
  dev: StringTable;
  comm: StringTable;
  irqName: StringTable;
  location: StringTable;
  reason: StringTable;
}

export const TABLE_NAMES = [
  'rx_hunks',
  'rx_irqs',
  'rx_irq_events',
  'rx_napi_polls',
  'rx_packets',
  'tx_packets',
] as const;
export type CorrelateTable = (typeof TABLE_NAMES)[number];

/** The columns of `table` from its schema file, each dictionary column bound to its table in `dicts`. */
export function columnsOf(
  table: CorrelateTable,
  dicts: Readonly<Partial<Record<string, StringTable>>>,
): OutColumnDef[] {
  return tableSpec(table).columns.map((c): OutColumnDef => {
    if (c.type === 'int32' || c.type === 'int64' || c.type === 'uint64') return { name: c.name, type: c.type };
    const dict = dicts[c.name];
    if (c.type !== 'utf8' || !c.dictionary || dict === undefined) {
      throw new NetdevTimesError(
        `schemas/${table}.json: column ${c.name} (${c.type}) has no place in the correlate stage`,
        70,
      );
    }
    return { name: c.name, type: 'dict', table: dict };
  });
}

export const enum Hunk {
  HunkId,
  Cpu,
  BaseNs,
  SoftirqEntryNs,
  SoftirqExitNs,
  IrqCount,
  IrqEventCount,
  NapiPollCount,
  PacketCount,
  LostNear,
}
export const rxHunkColumns = (): OutColumnDef[] => columnsOf('rx_hunks', {});

export const enum Irq {
  HunkId,
  IrqIndex,
  Cpu,
  Irq,
  IrqName,
  EntryNs,
  ExitNs,
  EventCount,
}
export const rxIrqColumns = (t: SourceTables): OutColumnDef[] => columnsOf('rx_irqs', { irq_name: t.irqName });

export const enum IrqEv {
  HunkId,
  IrqIndex,
  EventIndex,
  Event,
  TimeNs,
  Skbaddr,
  Len,
  Dev,
}
export const rxIrqEventColumns = (t: SourceTables): OutColumnDef[] =>
  columnsOf('rx_irq_events', { event: irqEventTable, dev: t.dev });

export const enum Napi {
  HunkId,
  EventIndex,
  TimeNs,
  Dev,
  Napi,
  Work,
  Budget,
}
export const rxNapiPollColumns = (t: SourceTables): OutColumnDef[] => columnsOf('rx_napi_polls', { dev: t.dev });

export const enum Rx {
  HunkId,
  EventIndex,
  Cpu,
  TimeNs,
  Skbaddr,
  Len,
  Dev,
  HandledBy,
  HandledNs,
  HandledCpu,
  HandledPid,
  HandledComm,
  KfreeLocation,
  KfreeReason,
  IrqToReceiveNs,
  ReceiveToHandledNs,
  Evicted,
  Fate,
  FateWhy,
  Match,
  LostNear,
  TimeBackwards,
}
export const rxPacketColumns = (t: SourceTables): OutColumnDef[] =>
  columnsOf('rx_packets', {
    dev: t.dev,
    handled_by: handledByTable,
    handled_comm: t.comm,
    kfree_location: t.location,
    kfree_reason: t.reason,
    fate: fateTable,
    fate_why: fateWhyTable,
    match: matchTable,
  });

export const enum Tx {
  ReportOrder,
  Status,
  Dev,
  Skbaddr,
  Len,
  QueueNs,
  QueueCpu,
  QueuePid,
  QueueComm,
  XmitNs,
  XmitCpu,
  FailedXmitRc,
  FailedXmitNs,
  FreeNs,
  FreeCpu,
  FreedBy,
  KfreeLocation,
  KfreeReason,
  QdiscNs,
  DeviceNs,
  Evicted,
  Fate,
  FateWhy,
  Match,
  LostNear,
  TimeBackwards,
}
export const txPacketColumns = (t: SourceTables): OutColumnDef[] =>
  columnsOf('tx_packets', {
    status: txStatusTable,
    dev: t.dev,
    queue_comm: t.comm,
    freed_by: freedByTable,
    kfree_location: t.location,
    kfree_reason: t.reason,
    fate: fateTable,
    fate_why: fateWhyTable,
    match: matchTable,
  });
