/**
 * Hand-made tx_packets and rx_packets rows as the TableChunks the summary reads (the columns it reads, named
 * and typed as in schemas/*.json), so each test states its packets in a line each.
 */
import { StringTable } from '../../src/core/strings.js';
import { dictColumn, i64Column, intColumn, u64Column, type Column, type TableChunk } from '../../src/core/columns.js';

export type Cell = string | number | bigint | null;
export type Row = Record<string, Cell>;

const KINDS: Record<string, 'dict' | 'int32' | 'int64' | 'uint64'> = {
  dev: 'dict',
  status: 'dict',
  kfree_reason: 'dict',
  fate: 'dict',
  fate_why: 'dict',
  match: 'dict',
  queue_comm: 'dict',
  handled_comm: 'dict',
  lost_near: 'int32',
  time_backwards: 'int32',
  queue_cpu: 'int32',
  queue_pid: 'int32',
  cpu: 'int32',
  handled_pid: 'int32',
  len: 'int32',
  queue_ns: 'int64',
  time_ns: 'int64',
  qdisc_ns: 'int64',
  device_ns: 'int64',
  irq_to_receive_ns: 'int64',
  receive_to_handled_ns: 'int64',
  skbaddr: 'uint64',
};

const TX_DEFAULTS: Row = {
  dev: 'eth0',
  status: 'complete',
  kfree_reason: null,
  fate: 'consumed',
  fate_why: null,
  match: 'direct',
  queue_comm: 'app',
  queue_cpu: 0,
  queue_pid: 100,
  lost_near: 0,
  time_backwards: 0,
  len: 60,
  queue_ns: 0n,
  qdisc_ns: null,
  device_ns: null,
  skbaddr: 0xffff888000000000n,
};

const RX_DEFAULTS: Row = {
  dev: 'eth0',
  kfree_reason: null,
  fate: 'delivered',
  fate_why: null,
  match: 'direct',
  handled_comm: 'app',
  handled_pid: 100,
  cpu: 0,
  lost_near: 0,
  time_backwards: 0,
  len: 60,
  time_ns: 0n,
  irq_to_receive_ns: null,
  receive_to_handled_ns: null,
  skbaddr: 0xffff888000000000n,
};

function column(name: string, values: Cell[]): Column {
  const n = values.length;
  const kind = KINDS[name];
  if (kind === 'dict') {
    const c = dictColumn(n, new StringTable());
    values.forEach((v, i) => {
      c.ids[i] = v === null ? -1 : c.table.idOf(String(v));
    });
    return c;
  }
  if (kind === 'int32') {
    const c = intColumn(n);
    values.forEach((v, i) => {
      c.valid[i] = v === null ? 0 : 1;
      c.values[i] = v === null ? 0 : Number(v);
    });
    return c;
  }
  const c = kind === 'int64' ? i64Column(n) : u64Column(n);
  values.forEach((v, i) => {
    c.valid[i] = v === null ? 0 : 1;
    c.values[i] = v === null ? 0n : BigInt(v);
  });
  return c;
}

function chunk(defaults: Row, rows: Row[]): TableChunk {
  const columns: Record<string, Column> = {};
  for (const name of Object.keys(defaults))
    columns[name] = column(
      name,
      rows.map((r) => (name in r ? r[name] : defaults[name])),
    );
  return { length: rows.length, columns };
}

/** tx_packets rows: each states what differs from a complete, consumed, direct eth0 lifecycle. */
export const txChunk = (rows: Row[]): TableChunk => chunk(TX_DEFAULTS, rows);
/** rx_packets rows: each states what differs from a delivered, direct eth0 packet. */
export const rxChunk = (rows: Row[]): TableChunk => chunk(RX_DEFAULTS, rows);
