/** The native perf.data reader: RawBatches as the text decoder makes them from `perf script --ns`. */
export { PerfDataDecoder, type PerfDataOptions, type PerfDataCounts, type FileSetup } from './decoder.js';
export {
  openPerfDataFile,
  openPerfDataStream,
  decodePerfDataFile,
  decodePerfDataStream,
  type PerfDataFile,
} from './file.js';
export type { PerfDataMetadata, PerfDataEventDesc, PerfDataBuildId } from './metadata.js';
export type { TracingApi, TraceFormats, EventFormat, ByteWriter, KernelSymbols } from './tracing-contract.js';
