/**
 * Where a dataset's files go: the partition folders `<table>/source=<name>/` (names: partition-name.ts), the
 * Arrow tree beside the Parquet one, and each table file's path. Apart from the naming so that readers of a
 * dataset do not load node:crypto, which only naming a long input needs.
 */
import { join } from 'node:path';

export const PARTITION_PREFIX = 'source=';

export const partitionFolder = (value: string): string => `${PARTITION_PREFIX}${value}`;

/**
 * The folder of the Arrow files of a partitioned dataset written in both formats: `<dataset>/arrow/<table>/
 * source=<name>/part-0.arrow`, beside the Parquet tree `<dataset>/<table>/...`, so that a directory reader
 * (DuckDB, pyarrow, Spark) given `<dataset>/<table>` meets Parquet files only. A dataset of one format keeps
 * it in `<dataset>/<table>/` (as before both trees existed).
 */
export const ARROW_TREE = 'arrow';

export type Format = 'parquet' | 'arrow';

/** The folder of one table file of a partition, for a dataset written in `formats`. */
export function partitionDir(
  dataset: string,
  table: string,
  source: string,
  format: Format,
  formats: readonly Format[],
): string {
  const inArrowTree = format === 'arrow' && formats.includes('parquet');
  return join(dataset, ...(inArrowTree ? [ARROW_TREE] : []), table, partitionFolder(source));
}

/** The path of one table file of a dataset: flat (`<table>.<format>`) or in its partition. */
export function tableFilePath(
  dataset: string,
  table: string,
  source: string | null,
  format: Format,
  formats: readonly Format[],
): string {
  return source === null
    ? join(dataset, `${table}.${format}`)
    : join(partitionDir(dataset, table, source, format, formats), `part-0.${format}`);
}
