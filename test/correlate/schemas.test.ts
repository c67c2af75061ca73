/** The correlate stage writes exactly the columns its schema files declare, in their order and types. */
import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/decode/strings.js';
import {
  TABLE_NAMES, rxHunkColumns, rxIrqColumns, rxIrqEventColumns, rxNapiPollColumns, rxPacketColumns, txPacketColumns,
  type OutColumnDef, type SourceTables,
} from '../../src/correlate/index.js';
import { tableSpec } from '../../src/emit/schema.js';

const src: SourceTables = { dev: new StringTable(), comm: new StringTable(), irqName: new StringTable(), location: new StringTable(), reason: new StringTable() };
const DEFS: Record<(typeof TABLE_NAMES)[number], OutColumnDef[]> = {
  rx_hunks: rxHunkColumns(),
  rx_irqs: rxIrqColumns(src),
  rx_irq_events: rxIrqEventColumns(src),
  rx_napi_polls: rxNapiPollColumns(src),
  rx_packets: rxPacketColumns(src),
  tx_packets: txPacketColumns(src),
};

describe.each(TABLE_NAMES)('schemas/%s.json', (table) => {
  it('lists the produced columns in order, with their types, each described', () => {
    const spec = tableSpec(table);
    expect(spec.table).toBe(table);
    expect(spec.version).toBe('1.0.0');
    expect(spec.columns.map((c) => [c.name, c.type === 'utf8' && c.dictionary ? 'dict' : c.type])).toEqual(
      DEFS[table].map((d) => [d.name, d.type]),
    );
    for (const c of spec.columns) expect(c.description.length).toBeGreaterThan(10);
  });
});
