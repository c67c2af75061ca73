/** The reference's report (netdev-times.py's stdout), rebuilt from the correlate tables. */
export { ReportRenderer, type ReportOptions } from './report-renderer.js';
export { diffNs, hex64, msec, secsDotUsecs, signedNs } from './py-format.js';
