/** The correlate stage writes exactly the columns its schema files declare, in their order and types. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/core/strings.js';
import { tableSpec } from '../../src/tables/schema.js';
import {
  TABLE_NAMES,
  rxHunkColumns,
  rxIrqColumns,
  rxIrqEventColumns,
  rxNapiPollColumns,
  rxPacketColumns,
  txPacketColumns,
  type SourceTables,
} from '../../src/tables/tables.js';
import type { OutColumnDef } from '../../src/tables/column-def.js';
import { ROOT } from '../helpers/fixtures.js';

const src: SourceTables = {
  dev: new StringTable(),
  comm: new StringTable(),
  irqName: new StringTable(),
  location: new StringTable(),
  reason: new StringTable(),
};
const DEFS: Record<(typeof TABLE_NAMES)[number], OutColumnDef[]> = {
  rx_hunks: rxHunkColumns(),
  rx_irqs: rxIrqColumns(src),
  rx_irq_events: rxIrqEventColumns(src),
  rx_napi_polls: rxNapiPollColumns(src),
  rx_packets: rxPacketColumns(src),
  tx_packets: txPacketColumns(src),
};
/** The const enum giving each table's column positions (erased at compile time: read from the source). */
const ENUM_OF: Record<(typeof TABLE_NAMES)[number], string> = {
  rx_hunks: 'Hunk',
  rx_irqs: 'Irq',
  rx_irq_events: 'IrqEv',
  rx_napi_polls: 'Napi',
  rx_packets: 'Rx',
  tx_packets: 'Tx',
};
const source = readFileSync(`${ROOT}src/tables/tables.ts`, 'utf8');

function enumMembers(name: string): string[] {
  const m = new RegExp(`export const enum ${name} \\{([^}]*)\\}`).exec(source);
  if (!m) throw new Error(`no const enum ${name} in tables.ts`);
  return m[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const snake = (pascal: string): string =>
  pascal.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? '' : '_') + c.toLowerCase());

describe.each(TABLE_NAMES)('schemas/%s.json', (table) => {
  it('lists the produced columns in order, with their types, each described', () => {
    const spec = tableSpec(table);
    expect(spec.table).toBe(table);
    // 1.1.0: fate, fate_why, match, lost_near, time_backwards (issue 15) on the packet tables, lost_near on rx_hunks.
    expect(spec.version).toBe(['rx_hunks', 'rx_packets', 'tx_packets'].includes(table) ? '1.1.0' : '1.0.0');
    expect(spec.columns.map((c) => [c.name, c.type === 'utf8' && c.dictionary ? 'dict' : c.type])).toEqual(
      DEFS[table].map((d) => [d.name, d.type]),
    );
    for (const c of spec.columns) expect(c.description.length).toBeGreaterThan(10);
  });

  it('has a position enum naming its columns in the schema order', () => {
    expect(enumMembers(ENUM_OF[table]).map(snake)).toEqual(tableSpec(table).columns.map((c) => c.name));
  });
});
