import type { StringTable } from '../core/strings.js';

/** A column of an output table as the correlate stage writes it; `schemas/<table>.json` names the same. */
export type OutColumnDef =
  | { name: string; type: 'int32' }
  | { name: string; type: 'int64' }
  | { name: string; type: 'uint64' }
  | { name: string; type: 'dict'; table: StringTable };
