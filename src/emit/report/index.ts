/** The reference's report (netdev-times.py's stdout), rebuilt from the correlate tables. */
export { ReportRenderer, type ReportOptions } from './report-renderer.js';
export { diffNs, hex64, msec, secsDotUsecs, signedNs } from './py-format.js';

export type { NamedChunk } from './named-chunk.js';
export { chunkFromArrow, readTableFile } from './arrow-chunks.js';
export { renderReport, reportFromText } from './render.js';

