/**
 * Feature sections (file mode) and HEADER_FEATURE records (pipe mode) hold the same bytes: read into
 * PerfDataMetadata. A feature that does not parse is left out with a warning, as perf does ("failed to
 * process feature"), except the tracing data, which the caller takes whole.
 */
import { parseAttr } from './attr.js';
import {
  FEAT_ARCH,
  FEAT_BUILD_ID,
  FEAT_CLOCK_DATA,
  FEAT_CLOCKID,
  FEAT_CMDLINE,
  FEAT_COMPRESSED,
  FEAT_CPUDESC,
  FEAT_CPUID,
  FEAT_EVENT_DESC,
  FEAT_HOSTNAME,
  FEAT_NRCPUS,
  FEAT_OSRELEASE,
  FEAT_SAMPLE_TIME,
  FEAT_TOTAL_MEM,
  FEAT_VERSION,
  MISC_CPUMODE_MASK,
  MISC_KERNEL,
} from './constants.js';
import { featureName, type PerfDataMetadata } from './metadata.js';

/** A feature's bytes ran out: caught per feature. */
class FeatureTooShort extends Error {}

/** A cursor over one feature's bytes. */
class FeatureReader {
  private p: number;
  constructor(
    private readonly b: Uint8Array,
    private readonly v: DataView,
    start: number,
    private readonly end: number,
    private readonly le: boolean,
  ) {
    this.p = start;
  }
  private need(n: number): number {
    if (n < 0 || this.p + n > this.end) throw new FeatureTooShort();
    const at = this.p;
    this.p += n;
    return at;
  }
  u32(): number {
    return this.v.getUint32(this.need(4), this.le);
  }
  u64(): bigint {
    return this.v.getBigUint64(this.need(8), this.le);
  }
  /** do_write_string: a u32 length (padded), then the NUL-terminated bytes. */
  string(): string {
    const len = this.u32();
    const at = this.need(len);
    let e = at;
    while (e < at + len && this.b[e] !== 0) e++;
    return new TextDecoder('utf-8').decode(this.b.subarray(at, e));
  }
  bytes(n: number): number {
    return this.need(n);
  }
  get pos(): number {
    return this.p;
  }
  get left(): number {
    return this.end - this.p;
  }
}

type StringKey = 'hostname' | 'os_release' | 'perf_version' | 'arch' | 'cpu_desc' | 'cpuid';

/** The features that are one string, by bit: the metadata key each fills. */
const STRING_FEATURES: Readonly<Record<number, StringKey>> = {
  [FEAT_HOSTNAME]: 'hostname',
  [FEAT_OSRELEASE]: 'os_release',
  [FEAT_VERSION]: 'perf_version',
  [FEAT_ARCH]: 'arch',
  [FEAT_CPUDESC]: 'cpu_desc',
  [FEAT_CPUID]: 'cpuid',
};

/** Reads feature `bit` from b[s, e) into meta; returns a warning when it does not parse. */
export function readFeature(
  meta: PerfDataMetadata,
  bit: number,
  b: Uint8Array,
  s: number,
  e: number,
  le: boolean,
): string | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const r = new FeatureReader(b, v, s, e, le);
  try {
    switch (bit) {
      case FEAT_HOSTNAME:
      case FEAT_OSRELEASE:
      case FEAT_VERSION:
      case FEAT_ARCH:
      case FEAT_CPUDESC:
      case FEAT_CPUID:
        meta[STRING_FEATURES[bit]] = r.string();
        break;
      case FEAT_NRCPUS:
        meta.nr_cpus_available = r.u32();
        meta.nr_cpus_online = r.u32();
        break;
      case FEAT_TOTAL_MEM:
        meta.total_mem_kb = r.u64().toString();
        break;
      case FEAT_CMDLINE: {
        const n = r.u32();
        const args: string[] = [];
        for (let i = 0; i < n; i++) args.push(r.string());
        meta.cmdline = args;
        break;
      }
      case FEAT_EVENT_DESC:
        readEventDesc(meta, r, v, le);
        break;
      case FEAT_BUILD_ID:
        readBuildIds(meta, b, v, s, e, le);
        break;
      case FEAT_SAMPLE_TIME:
        meta.sample_time = { first_ns: r.u64().toString(), last_ns: r.u64().toString() };
        break;
      case FEAT_CLOCKID:
        meta.clockid_res_ns = r.u64().toString();
        break;
      case FEAT_CLOCK_DATA: {
        const version = r.u32();
        if (version !== 1) return `feature clock_data: version ${version} not known, skipped`;
        meta.clock_data = { clockid: r.u32(), tod_ns: r.u64().toString(), clockid_ns: r.u64().toString() };
        break;
      }
      case FEAT_COMPRESSED:
        meta.compressed = { version: r.u32(), type: r.u32(), level: r.u32(), ratio: r.u32(), mmap_len: r.u32() };
        break;
      default:
        break;
    }
  } catch (err) {
    if (err instanceof FeatureTooShort) return `feature ${featureName(bit)}: shorter than its fields, skipped`;
    throw err;
  }
  return null;
}

function readEventDesc(meta: PerfDataMetadata, r: FeatureReader, v: DataView, le: boolean): void {
  const n = r.u32();
  const attrSize = r.u32();
  const events: PerfDataMetadata['events'] = [];
  for (let i = 0; i < n; i++) {
    const at = r.bytes(attrSize);
    const attr = parseAttr(v, at, attrSize, le);
    const nrIds = r.u32();
    const name = r.string();
    if (nrIds > r.left / 8) throw new FeatureTooShort();
    const ids: string[] = [];
    for (let j = 0; j < nrIds; j++) ids.push(r.u64().toString());
    events.push({ name, type: attr.type, config: attr.config.toString(), ids });
  }
  meta.events = events;
}

/** BUILD_ID: perf_record_header_build_id records back to back (header, pid, 24 bytes of id, filename). */
function readBuildIds(meta: PerfDataMetadata, b: Uint8Array, v: DataView, s: number, e: number, le: boolean): void {
  const MISC_BUILD_ID_SIZE = 1 << 15;
  let p = s;
  while (p + 36 <= e) {
    const misc = v.getUint16(p + 4, le);
    const size = v.getUint16(p + 6, le);
    if (size < 36 || p + size > e) throw new FeatureTooShort();
    const pid = v.getInt32(p + 8, le);
    const idLen = misc & MISC_BUILD_ID_SIZE ? Math.min(b[p + 32], 20) : 20;
    let hex = '';
    for (let i = 0; i < idLen; i++) hex += b[p + 12 + i].toString(16).padStart(2, '0');
    let f = p + 36;
    while (f < p + size && b[f] !== 0) f++;
    const filename = new TextDecoder('utf-8').decode(b.subarray(p + 36, f));
    meta.build_ids.push({ pid, build_id: hex, filename, kernel: (misc & MISC_CPUMODE_MASK) === MISC_KERNEL });
    p += size;
  }
}
