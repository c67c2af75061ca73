import { dictColumn, i64Column, intColumn, type TableChunk } from '../core/columns.js';
import { LOST_RECORD, type LostEvents } from '../core/lost.js';
import { StringTable } from '../core/strings.js';

/** The words of the `kind` column; their ids are the LostKind values. */
const KINDS = new StringTable();
KINDS.idOf('lost');
KINDS.idOf('lost_samples');

/** The `lost` table (schemas/lost.json): one row per lost-event record, in time order, in one chunk. */
export function lostChunk(lost: LostEvents): TableChunk {
  const n = lost.records;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    lost.timeNs[a] < lost.timeNs[b] ? -1 : lost.timeNs[a] > lost.timeNs[b] ? 1 : a - b,
  );
  const cpu = intColumn(n);
  const time = i64Column(n);
  const count = i64Column(n);
  const kind = dictColumn(n, KINDS);
  order.forEach((from, i) => {
    cpu.values[i] = lost.cpu[from];
    cpu.valid[i] = 1;
    time.values[i] = lost.timeNs[from];
    time.valid[i] = 1;
    count.values[i] = BigInt(lost.count[from]);
    count.valid[i] = 1;
    kind.ids[i] = lost.kind[from] === LOST_RECORD ? 0 : 1;
  });
  return { length: n, columns: { cpu, time_ns: time, count, kind } };
}
