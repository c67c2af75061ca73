/**
 * The report from chunks or from a trace. Apart from index.ts (which also re-exports the Parquet/Arrow
 * readers) so that the report from text loads neither apache-arrow nor parquet-wasm.
 */
import { correlateFile, type CorrelateFileOptions } from './correlate-file.js';
import type { BufferStatus, CorrelationStats } from '../correlate/stats.js';
import type { NamedChunk } from '../tables/named-chunk.js';
import { ReportRenderer, type ReportOptions } from '../report/report-renderer.js';

/** The report of already produced chunks (any order), as one string. */
export function renderReport(chunks: Iterable<NamedChunk>, options: ReportOptions = {}, status?: BufferStatus): string {
  const parts: string[] = [];
  const renderer = new ReportRenderer((s) => parts.push(s), options);
  for (const { table, chunk } of chunks) renderer.push(table, chunk);
  renderer.finish(status);
  return parts.join('');
}

/**
 * Streams a `perf script` text file through decode, normalise and correlate into the report, writing
 * text as it becomes final. Returns the correlator's stats.
 */
export async function reportFromText(
  path: string,
  write: (text: string) => void,
  options: ReportOptions = {},
  correlate: CorrelateFileOptions = {},
): Promise<CorrelationStats> {
  const renderer = new ReportRenderer(write, options);
  // The renderer copies what it needs from each chunk as it is pushed.
  const stats = await correlateFile(path, (table, chunk) => renderer.push(table, chunk), {
    ...correlate,
    reuseChunks: true,
  });
  renderer.finish(stats.debug);
  return stats;
}
