/** What the recording says about itself (header features), as a plain JSON-ready object: u64s as decimal strings. */
export interface PerfDataMetadata {
  /** 'file' (PERFILE2 with a seekable header) or 'pipe' (perf record -o -). */
  mode: 'file' | 'pipe';
  byte_order: 'little' | 'big';
  /** Feature names the recording has (file: the header bitmap; pipe: the HEADER_FEATURE records seen). */
  features: string[];
  hostname?: string;
  os_release?: string;
  perf_version?: string;
  arch?: string;
  nr_cpus_available?: number;
  nr_cpus_online?: number;
  cpu_desc?: string;
  cpuid?: string;
  total_mem_kb?: string;
  cmdline?: string[];
  events: PerfDataEventDesc[];
  sample_time?: { first_ns: string; last_ns: string };
  clockid_res_ns?: string;
  clock_data?: { clockid: number; tod_ns: string; clockid_ns: string };
  compressed?: { version: number; type: number; level: number; ratio: number; mmap_len: number };
  build_ids: PerfDataBuildId[];
}

export interface PerfDataEventDesc {
  name: string;
  type: number;
  config: string;
  ids: string[];
}

export interface PerfDataBuildId {
  pid: number;
  /** Hex digits. */
  build_id: string;
  filename: string;
  kernel: boolean;
}

export function newMetadata(mode: 'file' | 'pipe', le: boolean): PerfDataMetadata {
  return { mode, byte_order: le ? 'little' : 'big', features: [], events: [], build_ids: [] };
}

/** perf's feature names (header.c feat_ops), by bit. */
export const FEATURE_NAMES: readonly string[] = [
  'reserved',
  'tracing_data',
  'build_id',
  'hostname',
  'osrelease',
  'version',
  'arch',
  'nrcpus',
  'cpudesc',
  'cpuid',
  'total_mem',
  'cmdline',
  'event_desc',
  'cpu_topology',
  'numa_topology',
  'branch_stack',
  'pmu_mappings',
  'group_desc',
  'auxtrace',
  'stat',
  'cache',
  'sample_time',
  'mem_topology',
  'clockid',
  'dir_format',
  'bpf_prog_info',
  'bpf_btf',
  'compressed',
  'cpu_pmu_caps',
  'clock_data',
  'hybrid_topology',
  'pmu_caps',
];

export const featureName = (bit: number): string => FEATURE_NAMES[bit] ?? `feature_${bit}`;
