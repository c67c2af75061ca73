import type { TableChunk } from '../core/columns.js';

/** A table chunk with the name of its table, as the correlator or a dataset reader hands them over. */
export interface NamedChunk {
  table: string;
  chunk: TableChunk;
}
