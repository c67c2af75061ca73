/** The correlate stage: the reference's matching, as tables. */
export { Correlator, DEFAULT_BUDGET, type CorrelatorOptions } from './correlator.js';
export type { ChunkSink } from './row-chunks.js';
export { DevFilter, devEvents } from './dev-filter.js';
export { flaggedWarnings, type Anomalies, type BufferStatus, type CorrelationStats, type Flagged } from './stats.js';
