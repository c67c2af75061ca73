/** Selecting events before correlation, as `perf script`'s --time, --cpu, --comm, --pid and --tid do. */
export {
  describeFilter,
  parseFilterArgs,
  type FilterArgs,
  type FilterSpec,
  type PercentSlice,
  type TimeRange,
  type TimeSpec,
} from './parse.js';
export { EventSelector, type RecordingFacts } from './select.js';
