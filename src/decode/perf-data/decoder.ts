/**
 * Streams perf.data records into RawBatches identical to what the text decoder makes of
 * `perf script --ns -F comm,pid,tid,cpu,time,event,trace[,ip,sym,symoff,dso]`. Feed it a pipe-mode stream
 * (`perf record -o -`) from its first byte, or a file's data section after `configureFile` (file.ts does
 * that). Records are framed from the chunks as they come; only a record cut by a chunk's end is copied.
 */
import { newRawBatch, type RawBatch, type RawPayloadReader } from '../raw-batch.js';
import { StringTable } from '../../core/strings.js';
import { parseAttr, type EventAttr } from './attr.js';
import { Callchains } from './callchain.js';
import { ZstdStream } from './compressed.js';
import {
  PIPE_HEADER_SIZE,
  REC_AUXTRACE,
  REC_COMM,
  REC_COMPRESSED,
  REC_COMPRESSED2,
  REC_EXIT,
  REC_FINISHED_ROUND,
  REC_FORK,
  REC_HEADER_ATTR,
  REC_HEADER_BUILD_ID,
  REC_HEADER_FEATURE,
  REC_HEADER_TRACING_DATA,
  REC_ID_INDEX,
  REC_KERNEL_MAX,
  REC_LOST,
  REC_LOST_SAMPLES,
  REC_MMAP,
  REC_MMAP2,
  REC_SAMPLE,
  REC_USER_MAX,
  REC_USER_START,
  FEAT_TRACING_DATA,
  S_CALLCHAIN,
  RECORD_HEADER_SIZE,
} from './constants.js';
import { perfDataError } from './fail.js';
import { readFeature } from './features.js';
import { parseHeader } from './header.js';
import { LOST_RECORD, LOST_SAMPLES, LostEvents } from '../../core/lost.js';
import { asNanoseconds } from '../../core/units.js';
import { featureName, newMetadata, type PerfDataMetadata } from './metadata.js';
import { OrderedEvents } from './ordered-events.js';
import { idFromEnd, idFromStart, newSampleFields, parseSample, parseSampleId, u64Halves } from './sample.js';
import { Session } from './session.js';
import { Threads } from './threads.js';
import type { EventFormat, KernelSymbols, TraceFormats, TracingApi } from './tracing-contract.js';
import { ByteBuffer } from '../../tracefs/byte-writer.js';

export interface PerfDataOptions {
  /** Events per batch (default 16384). */
  batchSize?: number;
  comms?: StringTable;
  events?: StringTable;
  /** Where the kernel's lost-event records go (a trace source's), else the decoder's own. */
  lost?: LostEvents;
  /** The tracing part (parseTracingData, setSymbols); without it payloads are empty. */
  tracing?: TracingApi;
  /** Kernel symbols (--kallsyms): kernel frames and %pS fields print `sym+0xoff`. */
  kernelSymbols?: KernelSymbols | null;
  /** Formats to use when the recording has no tracing data (a killed recording): the running kernel's. */
  fallbackFormats?: TraceFormats | null;
  /** The largest HEADER_TRACING_DATA accepted in pipe mode (default 256 MiB): bounds memory on garbage. */
  maxTracingBytes?: number;
  /**
   * Who reads which tracepoints' raw samples (the normaliser): their bytes go into the batch as they are,
   * not printed. Printing is most of the cost of reading perf.data, and the normaliser would parse it back.
   */
  rawPayloads?: (format: EventFormat) => RawPayloadReader | null;
}

export interface PerfDataCounts {
  records: number;
  samples: number;
  /** Events put in batches. */
  events: number;
  /** Records of types this reader (and perf 6.1) does not know: skipped. */
  unknownRecords: number;
  /** Samples whose id matches no attr: skipped (perf stops at them). */
  unknownIds: number;
  /** Samples of a tracepoint whose format is missing: converted with an empty payload. */
  unrenderable: number;
  compressedRecords: number;
  /** Records delivered before records already delivered with a later time (perf: "out of order event"). */
  rounds: number;
}

/** File mode: what file.ts read from the header and the feature sections before the data section. */
export interface FileSetup {
  le: boolean;
  attrs: EventAttr[];
  metadata: PerfDataMetadata;
  tracingData: Uint8Array | null;
  /** Offset of the data section in the file (for messages) and its size (0: unknown, read to the end). */
  dataOffset: number;
  dataSize: number;
  /** The header said 0 bytes of data: perf record never finished; read what is there. */
  unfinished: boolean;
  warnings: string[];
}

const SAMPLE_DEFAULT_BATCH = 16384;
const MAX_TRACING_BYTES = 256 << 20;
/** States of the framer. */
const S_PIPE_HEADER = 0;
const S_RECORDS = 1;

export class PerfDataDecoder {
  readonly counts: PerfDataCounts = {
    records: 0,
    samples: 0,
    events: 0,
    unknownRecords: 0,
    unknownIds: 0,
    unrenderable: 0,
    compressedRecords: 0,
    rounds: 0,
  };
  readonly comms: StringTable;
  readonly events: StringTable;
  readonly lost: LostEvents;
  readonly warnings: string[] = [];
  metadata: PerfDataMetadata = newMetadata('pipe', true);
  private le = true;
  private session: Session;
  private readonly threads: Threads;
  private readonly callchains = new Callchains();
  private readonly queue: OrderedEvents;
  private readonly sample = newSampleFields();
  private readonly batchSize: number;
  private batch: RawBatch;
  /** Payload text: one buffer per batch, which becomes the batch's arena. */
  private text: ByteBuffer;
  private readonly spare: RawBatch[] = [];
  private state = S_PIPE_HEADER;
  /** Input offset of the next byte pushed (file offset in file mode). */
  private offset = 0;
  /** A record cut by a chunk's end. */
  private carry = new Uint8Array(1 << 16);
  private carryLen = 0;
  /** Bytes after a record that belong to it (tracing data, auxtrace): collected or skipped. */
  private extraLeft = 0;
  private extra: Uint8Array | null = null;
  private extraLen = 0;
  private zstd: ZstdStream | null = null;
  /** Decompressed bytes not yet a whole record. */
  private inner = new Uint8Array(0);
  private innerLen = 0;
  private hasCallchains = false;
  /** Kernel symbols (--kallsyms), moved to the recording's boot once its kernel map is read. */
  private symbols: KernelSymbols | null = null;
  private relocated = false;
  private nextLine = 1;
  /** Per attr: its raw-sample reader, null for none, undefined until its format is known. */
  private rawReaders: (RawPayloadReader | null | undefined)[] = [];
  /** The formats of events whose samples may be raw, by event-name id (shared by every batch). */
  private readonly rawFormats: (EventFormat | null)[] = [];
  private dataEnd = Infinity;
  private unfinished = false;
  private ended = false;

  constructor(
    private readonly onBatch: (b: RawBatch) => void,
    private readonly options: PerfDataOptions = {},
  ) {
    this.batchSize = options.batchSize ?? SAMPLE_DEFAULT_BATCH;
    this.comms = options.comms ?? new StringTable();
    this.events = options.events ?? new StringTable();
    this.lost = options.lost ?? new LostEvents();
    this.threads = new Threads(this.comms);
    this.session = new Session(this.events, this.metadata);
    this.queue = new OrderedEvents((arena, view, off, attr) => this.deliver(arena, view, off, attr));
    this.text = new ByteBuffer(1 << 16);
    this.batch = newRawBatch(this.batchSize, this.comms, this.events, this.text.buf, this.rawFormats);
    this.symbols = options.kernelSymbols ?? null;
    this.callchains.symbols = this.symbols;
  }

  /** File mode: the header and features are read (file.ts); what is pushed next is the data section. */
  configureFile(setup: FileSetup): void {
    this.le = setup.le;
    this.metadata = setup.metadata;
    this.session = new Session(this.events, this.metadata);
    for (const a of setup.attrs) this.session.addAttr(a);
    this.warnings.push(...setup.warnings);
    this.offset = setup.dataOffset;
    this.dataEnd = setup.unfinished ? Infinity : setup.dataOffset + setup.dataSize;
    this.unfinished = setup.unfinished;
    if (setup.tracingData) this.setTracing(setup.tracingData, setup.dataOffset);
    else this.noTracing();
    this.state = S_RECORDS;
    this.hasCallchains = setup.attrs.some((a) => (a.sampleType & S_CALLCHAIN) !== 0);
  }

  push(chunk: Uint8Array): void {
    let p = 0;
    const n = chunk.length;
    if (this.state === S_PIPE_HEADER) {
      const take = Math.min(n, PIPE_HEADER_SIZE - this.carryLen);
      this.carry.set(chunk.subarray(0, take), this.carryLen);
      this.carryLen += take;
      this.offset += take;
      p = take;
      if (this.carryLen < PIPE_HEADER_SIZE) return;
      this.startPipe(this.carry.subarray(0, PIPE_HEADER_SIZE));
      this.carryLen = 0;
    }
    while (p < n) {
      if (this.extraLeft > 0) {
        p = this.takeExtra(chunk, p);
        continue;
      }
      if (this.carryLen > 0) {
        p = this.fillCarry(chunk, p);
        continue;
      }
      p = this.frame(chunk, p, n);
    }
  }

  /** Flushes what is queued and the last batch; reports a record cut short. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.state === S_PIPE_HEADER && this.carryLen < PIPE_HEADER_SIZE)
      throw perfDataError(this.offset, 'input ends inside the perf.data header');
    const cut = this.carryLen > 0 || this.extraLeft > 0;
    if (cut) {
      const what =
        this.extraLeft > 0
          ? `${this.extraLeft} bytes of a record's trailing data missing`
          : `input ends inside a record (${this.carryLen} of its bytes there)`;
      if (!this.unfinished) throw perfDataError(this.offset, what);
      this.warnings.push(`${what}: the last record was dropped (at byte offset ${this.offset - this.carryLen})`);
    }
    if (this.innerLen > 0)
      this.warnings.push(`${this.innerLen} decompressed bytes at the end are not a whole record: dropped`);
    if (this.unfinished)
      this.warnings.push(
        `perf record did not finish (header data size 0): the ${this.counts.records} whole records on disk were read; no feature sections (no hostname, event desc, build ids${this.session.formats ? '' : ', tracing data'})`,
      );
    this.queue.flushAll();
    if (this.queue.halfFlushes > 0)
      this.warnings.push(
        `the ordering queue passed its memory bound ${this.queue.halfFlushes} times: events were delivered early (perf does the same)`,
      );
    if (this.counts.unknownRecords > 0)
      this.warnings.push(`${this.counts.unknownRecords} records of unknown types skipped`);
    if (this.counts.unknownIds > 0)
      this.warnings.push(`${this.counts.unknownIds} samples with an id of no event skipped`);
    if (this.counts.unrenderable > 0)
      this.warnings.push(
        `${this.counts.unrenderable} tracepoint samples have no format (no tracing data): their payloads are empty`,
      );
    this.flush(true);
  }

  /** Gives back a batch the caller is done with: its arrays and arena serve a later batch. */
  recycle(b: RawBatch): void {
    // Four: a round of samples sorted and delivered at once fills a few batches before the first is read.
    if (b.comms !== this.comms || this.spare.length >= 4 || b.line.length < this.batchSize) return;
    this.spare.push(b);
  }

  private startPipe(h: Uint8Array): void {
    const header = parseHeader(h);
    if (!header.pipe)
      throw perfDataError(
        0,
        'a file-mode perf.data on a stream: read it with openPerfDataFile (or decodePerfDataStream, which spools it)',
      );
    this.le = header.le;
    this.metadata = newMetadata('pipe', header.le);
    this.session = new Session(this.events, this.metadata);
    this.state = S_RECORDS;
  }

  /** Frames whole records of chunk from p; keeps a cut one in carry. Returns where it stopped. */
  private frame(chunk: Uint8Array, p: number, n: number): number {
    const v = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const le = this.le;
    while (p + RECORD_HEADER_SIZE <= n && this.extraLeft === 0) {
      if (this.offset >= this.dataEnd) return n;
      const size = v.getUint16(p + 6, le);
      if (size < RECORD_HEADER_SIZE)
        throw perfDataError(this.offset, `record header size ${size} (type ${v.getUint32(p, le)}), less than 8`);
      if (p + size > n) break;
      this.offset += size;
      this.record(chunk, v, p, size, this.offset - size);
      p += size;
    }
    if (this.extraLeft > 0) return p;
    if (this.offset >= this.dataEnd) return n;
    const rest = n - p;
    this.carry.set(chunk.subarray(p, n), 0);
    this.carryLen = rest;
    this.offset += rest;
    return n;
  }

  /** Completes the carried record from chunk[p..); returns where it stopped. */
  private fillCarry(chunk: Uint8Array, p: number): number {
    const le = this.le;
    if (this.carryLen < RECORD_HEADER_SIZE) {
      p += this.carryMore(chunk, p, RECORD_HEADER_SIZE - this.carryLen);
      if (this.carryLen < RECORD_HEADER_SIZE) return p;
    }
    const cv = new DataView(this.carry.buffer);
    const size = cv.getUint16(6, le);
    if (size < RECORD_HEADER_SIZE)
      throw perfDataError(this.offset - this.carryLen, `record header size ${size}, less than 8`);
    p += this.carryMore(chunk, p, size - this.carryLen);
    if (this.carryLen < size) return p;
    this.carryLen = 0;
    this.record(this.carry, cv, 0, size, this.offset - size);
    return p;
  }

  /** Appends up to `want` bytes of chunk[p..) to the carried record; returns how many it took. */
  private carryMore(chunk: Uint8Array, p: number, want: number): number {
    const take = Math.min(want, chunk.length - p);
    this.carry.set(chunk.subarray(p, p + take), this.carryLen);
    this.carryLen += take;
    this.offset += take;
    return take;
  }

  private takeExtra(chunk: Uint8Array, p: number): number {
    const take = Math.min(this.extraLeft, chunk.length - p);
    if (this.extra) this.extra.set(chunk.subarray(p, p + take), this.extraLen);
    this.extraLen += take;
    this.extraLeft -= take;
    this.offset += take;
    if (this.extraLeft === 0 && this.extra) {
      const data = this.extra;
      this.extra = null;
      this.setTracing(data, this.offset - data.length);
    }
    return p + take;
  }

  /** One record b[s, s + size) at input offset `at`. */
  private record(b: Uint8Array, v: DataView, s: number, size: number, at: number): void {
    const le = this.le;
    const type = v.getUint32(s, le);
    const e = s + size;
    const session = this.session;
    this.counts.records++;
    if (type === REC_SAMPLE) {
      this.counts.samples++;
      const attr =
        session.attrs.length === 1
          ? 0
          : session.attrOfKey(session.idPos < 0 ? 0 : idFromStart(v, s, e, session.idPos, le));
      if (attr < 0) {
        this.counts.unknownIds++;
        return;
      }
      const t = session.timeAt[attr];
      if (t >= 0 && s + t + 8 <= e) {
        const hi = u64Halves.hiAt(v, s + t, le);
        const lo = u64Halves.loAt(v, s + t, le);
        if ((hi | lo) !== 0 && (hi & lo) !== 0xffffffff) {
          this.queue.queue(b, v, s, size, hi, lo, attr);
          return;
        }
      }
      this.deliver(b, v, s, attr);
      return;
    }
    if (type < REC_USER_START) {
      if (session.attrs.length === 0) {
        this.counts.unknownIds++;
        return;
      }
      let attr = 0;
      if (session.sampleIdAll && session.attrs.length > 1) {
        attr = session.isPos < 0 ? 0 : session.attrOfKey(idFromEnd(v, s, e, session.isPos, le));
        if (attr < 0) attr = 0;
      }
      if (session.sampleIdAll && parseSampleId(v, e, s, session.attrs[attr], session.idSizes[attr], le, this.sample)) {
        const hi = this.sample.timeHi;
        const lo = this.sample.timeLo;
        if ((hi | lo) !== 0 && (hi & lo) !== 0xffffffff) {
          this.queue.queue(b, v, s, size, hi, lo, attr);
          return;
        }
      }
      this.deliver(b, v, s, attr);
      return;
    }
    this.userRecord(b, v, s, e, type, at);
  }

  /** perf's own records: processed at once, never queued (perf_session__process_user_event). */
  private userRecord(b: Uint8Array, v: DataView, s: number, e: number, type: number, at: number): void {
    const le = this.le;
    switch (type) {
      case REC_FINISHED_ROUND:
        this.counts.rounds++;
        this.queue.flushRound();
        return;
      case REC_HEADER_ATTR: {
        const attr = parseAttr(v, s + 8, e - s - 8, le);
        for (let p = s + 8 + attr.size; p + 8 <= e; p += 8) attr.ids.push(v.getBigUint64(p, le));
        this.session.addAttr(attr);
        if (attr.sampleType & S_CALLCHAIN) this.hasCallchains = true;
        return;
      }
      case REC_ID_INDEX: {
        // Per id: the mmap index, cpu and tid it was read from (perf_event__process_id_index): not which attr
        // it belongs to, so nothing here changes how records are read. Only its shape is checked.
        if (e - s < 16) throw perfDataError(at, 'ID_INDEX record shorter than its count');
        const nr = v.getBigUint64(s + 8, le);
        if (nr > BigInt((e - s - 16) / 32))
          throw perfDataError(at, `ID_INDEX record of ${nr} entries does not fit its ${e - s} bytes`);
        return;
      }
      case REC_HEADER_TRACING_DATA: {
        if (e - s < 12) throw perfDataError(at, 'tracing data record shorter than its size field');
        const size = v.getUint32(s + 8, le);
        const max = this.options.maxTracingBytes ?? MAX_TRACING_BYTES;
        if (size > max) throw perfDataError(at, `tracing data of ${size} bytes, more than the ${max} accepted`);
        this.extra = new Uint8Array(size);
        this.extraLen = 0;
        this.extraLeft = size;
        if (size === 0) this.extra = null;
        return;
      }
      case REC_AUXTRACE: {
        // Its AUX data follows the record: stepped over, unread.
        if (e - s < 16) throw perfDataError(at, 'AUXTRACE record shorter than its size field');
        const size = v.getBigUint64(s + 8, le);
        if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw perfDataError(at, `AUXTRACE data size ${size}`);
        this.extra = null;
        this.extraLen = 0;
        this.extraLeft = Number(size);
        return;
      }
      case REC_HEADER_FEATURE: {
        if (e - s < 16) throw perfDataError(at, 'feature record shorter than its id');
        const feat = Number(v.getBigUint64(s + 8, le) & 0xffffn);
        const name = featureName(feat);
        if (!this.metadata.features.includes(name)) this.metadata.features.push(name);
        if (feat === FEAT_TRACING_DATA) this.setTracing(b.slice(s + 16, e), at);
        else {
          const w = readFeature(this.metadata, feat, b, s + 16, e, le);
          if (w) this.warnings.push(w);
          this.session.changed();
        }
        return;
      }
      case REC_HEADER_BUILD_ID: {
        // The feature's entry format, one per record.
        const w = readFeature(this.metadata, 2, b, s, e, le);
        if (w) this.warnings.push(w);
        return;
      }
      case REC_COMPRESSED:
      case REC_COMPRESSED2: {
        this.counts.compressedRecords++;
        let ps = s + 8;
        let pe = e;
        if (type === REC_COMPRESSED2) {
          if (e - s < 16) throw perfDataError(at, 'COMPRESSED2 record shorter than its data size');
          const ds = v.getBigUint64(s + 8, le);
          if (ds > BigInt(e - s - 16)) throw perfDataError(at, `COMPRESSED2 data size ${ds} past the record's end`);
          ps = s + 16;
          pe = ps + Number(ds);
        }
        if (!this.zstd) this.zstd = new ZstdStream();
        for (const out of this.zstd.push(b.subarray(ps, pe), at)) this.decompressed(out, at);
        return;
      }
      default:
        if (type >= REC_USER_MAX) this.counts.unknownRecords++;
    }
  }

  /** Decompressed bytes: appended to what is left of the last, then framed as records. */
  private decompressed(out: Uint8Array, at: number): void {
    if (this.innerLen + out.length > this.inner.length) {
      const grown = new Uint8Array(Math.max(this.inner.length * 2, this.innerLen + out.length, 1 << 16));
      grown.set(this.inner.subarray(0, this.innerLen));
      this.inner = grown;
    }
    this.inner.set(out, this.innerLen);
    this.innerLen += out.length;
    const b = this.inner;
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const le = this.le;
    let p = 0;
    while (p + RECORD_HEADER_SIZE <= this.innerLen) {
      const size = v.getUint16(p + 6, le);
      if (size < RECORD_HEADER_SIZE) throw perfDataError(at, `decompressed record header size ${size}, less than 8`);
      if (p + size > this.innerLen) break;
      const type = v.getUint32(p, le);
      if (type === REC_COMPRESSED || type === REC_COMPRESSED2)
        throw perfDataError(at, 'a compressed record inside a compressed record');
      this.record(b, v, p, size, at);
      p += size;
    }
    b.copyWithin(0, p, this.innerLen);
    this.innerLen -= p;
  }

  private setTracing(bytes: Uint8Array, at: number): void {
    const tracing = this.options.tracing;
    if (!tracing) return;
    let formats: TraceFormats;
    try {
      formats = tracing.parseTracingData(bytes);
    } catch (err) {
      throw perfDataError(at, `tracing data does not parse: ${err instanceof Error ? err.message : String(err)}`);
    }
    tracing.setSymbols(formats, this.symbols);
    this.session.setFormats(formats);
    this.rawReaders = [];
  }

  private noTracing(): void {
    const fb = this.options.fallbackFormats;
    if (!fb) return;
    this.warnings.push('the recording has no tracing data: tracepoint formats taken from the fallback given');
    this.options.tracing?.setSymbols(fb, this.symbols);
    this.session.setFormats(fb);
    this.rawReaders = [];
  }

  /** A record in perf's delivery order. */
  private deliver(b: Uint8Array, v: DataView, s: number, attr: number): void {
    const le = this.le;
    const type = v.getUint32(s, le);
    const e = s + v.getUint16(s + 6, le);
    switch (type) {
      case REC_SAMPLE:
        this.deliverSample(b, v, s, e, attr);
        return;
      case REC_COMM: {
        if (e - s < 17) return;
        const idSize = this.session.idSizes[attr] ?? 0;
        this.threads.setComm(v.getInt32(s + 12, le), b, s + 16, Math.max(s + 16, e - idSize));
        return;
      }
      case REC_FORK: {
        if (e - s < 24) return;
        const pid = v.getInt32(s + 8, le);
        const ppid = v.getInt32(s + 12, le);
        const tid = v.getInt32(s + 16, le);
        const ptid = v.getInt32(s + 20, le);
        this.threads.fork(tid, ptid);
        if (this.hasCallchains) this.callchains.fork(pid, ppid);
        return;
      }
      case REC_EXIT:
        return;
      case REC_MMAP:
      case REC_MMAP2:
        if (this.hasCallchains || (this.symbols !== null && !this.relocated)) this.mmap(b, v, s, e, type, attr);
        return;
      case REC_LOST:
      case REC_LOST_SAMPLES: {
        const countAt = type === REC_LOST ? s + 16 : s + 8;
        if (countAt + 8 > e) return;
        const count = Number(v.getBigUint64(countAt, le));
        const a = this.session.attrAt(attr);
        const sf = this.sample;
        const ok = a !== undefined && a.sampleIdAll && parseSampleId(v, e, s, a, this.session.idSizes[attr], le, sf);
        const time = ok ? (BigInt(sf.timeHi) << 32n) | BigInt(sf.timeLo) : 0n;
        this.lost.add(ok ? sf.cpu : -1, asNanoseconds(time), count, type === REC_LOST ? LOST_RECORD : LOST_SAMPLES);
        return;
      }
      default:
        if (type >= REC_KERNEL_MAX) this.counts.unknownRecords++;
    }
  }

  private mmap(b: Uint8Array, v: DataView, s: number, e: number, type: number, attr: number): void {
    const le = this.le;
    const nameAt = type === REC_MMAP ? s + 40 : s + 72;
    if (nameAt > e) return;
    const misc = v.getUint16(s + 4, le);
    const idSize = this.session.sampleIdAll ? (this.session.idSizes[attr] ?? 0) : 0;
    let end = nameAt;
    const limit = Math.max(nameAt, e - idSize);
    while (end < limit && b[end] !== 0) end++;
    const name = new TextDecoder('utf-8').decode(b.subarray(nameAt, end));
    // MMAP2's prot (PROT_EXEC = 4); MMAP records are of executable mappings unless flagged as data.
    const exec = type === REC_MMAP2 ? (v.getUint32(s + 64, le) & 4) !== 0 : (misc & (1 << 13)) === 0;
    if (name.startsWith('[kernel.kallsyms]'))
      this.relocate(name, v.getBigUint64(s + 16, le), v.getBigUint64(s + 32, le));
    this.callchains.addMap(
      v.getInt32(s + 8, le),
      misc,
      v.getBigUint64(s + 16, le),
      v.getBigUint64(s + 24, le),
      v.getBigUint64(s + 32, le),
      name,
      exec,
    );
  }

  /**
   * The kernel map of the recording: a kallsyms of another boot of that kernel (--kallsyms) is moved by the
   * difference of the two `_text` addresses (KASLR), as perf relocates its own. perf names the map
   * `[kernel.kallsyms]_text` and puts `_text`'s address in its pgoff.
   */
  private relocate(name: string, start: bigint, pgoff: bigint): void {
    const symbols = this.symbols;
    if (symbols === null || this.relocated) return;
    this.relocated = true;
    const text = symbols.textStart;
    const recorded = name.endsWith('_text') ? pgoff : start;
    if (text === null || recorded === text) return;
    this.symbols = symbols.withOffset(recorded - text);
    this.callchains.symbols = this.symbols;
    const formats = this.session.formats;
    if (formats) this.options.tracing?.setSymbols(formats, this.symbols);
  }

  private deliverSample(b: Uint8Array, v: DataView, s: number, e: number, attrIdx: number): void {
    const le = this.le;
    const session = this.session;
    const attr = session.attrs[attrIdx];
    const sf = this.sample;
    parseSample(v, s, e, attr, le, sf);
    const event = session.eventId(attrIdx);
    const format = session.format(attrIdx);
    let batch = this.batch;
    if (batch.length === this.batchSize) {
      this.flush();
      batch = this.batch;
    }
    const i = batch.length++;
    const line = this.nextLine;
    batch.line[i] = line;
    batch.timeWords[2 * i] = sf.timeLo;
    batch.timeWords[2 * i + 1] = sf.timeHi;
    batch.cpu[i] = sf.cpu;
    batch.pid[i] = sf.pid;
    batch.pidValid[i] = 1;
    batch.tid[i] = sf.tid;
    batch.comm[i] = this.threads.commOf(sf.tid);
    batch.event[i] = event;
    const text = this.text;
    batch.payloadStart[i] = text.len;
    let raw = 0;
    if (format) {
      const reader =
        this.rawReaders[attrIdx] === undefined ? this.rawReaderOf(attrIdx, format) : this.rawReaders[attrIdx];
      if (reader !== null && reader.accepts(b, sf.rawStart, sf.rawEnd)) {
        copyInto(text, b, sf.rawStart, sf.rawEnd);
        raw = 1;
      } else format.render(b, sf.rawStart, sf.rawEnd, text);
    } else if (attr.type === 2) this.counts.unrenderable++;
    batch.rawPayload[i] = raw;
    batch.payloadEnd[i] = text.len;
    const frames = batch.frames;
    const f0 = frames.length;
    batch.frameStart[i] = f0;
    if (this.hasCallchains) {
      if (sf.chainNr > 0) this.callchains.frames(v, sf.chainAt, sf.chainNr, le, sf.pid, frames);
      this.nextLine = line + 2 + (frames.length - f0);
    } else this.nextLine = line + 1;
    batch.frameEnd[i] = frames.length;
    this.counts.events++;
  }

  /**
   * The raw-sample reader of an attr's event, asked once. None while kernel symbols may still move (their
   * map not yet read): a raw location is printed later than its sample, and must print as it would have.
   */
  private rawReaderOf(attrIdx: number, format: EventFormat): RawPayloadReader | null {
    const ask = this.options.rawPayloads;
    if (ask === undefined) return (this.rawReaders[attrIdx] = null);
    if (this.symbols !== null && !this.relocated) return null;
    const reader = ask(format);
    this.rawReaders[attrIdx] = reader;
    if (reader !== null) this.rawFormats[this.session.eventId(attrIdx)] = format;
    return reader;
  }

  /** Hands over the current batch; after the last one (`end`), no next one is made: nothing will fill it. */
  private flush(last = false): void {
    const full = this.batch;
    if (full.length === 0) return;
    full.arena = this.text.buf;
    if (last) {
      this.text = new ByteBuffer(0);
      this.batch = newRawBatch(0, this.comms, this.events, this.text.buf, this.rawFormats);
      this.onBatch(full);
      return;
    }
    const spare = this.spare.pop();
    if (spare) {
      this.text = new ByteBuffer(0);
      this.text.buf = spare.arena.length > 0 ? spare.arena : new Uint8Array(1 << 16);
      spare.length = 0;
      spare.frames = [];
      spare.arena = this.text.buf;
      this.batch = spare;
    } else {
      this.text = new ByteBuffer(Math.max(1 << 16, full.arena.length));
      this.batch = newRawBatch(this.batchSize, this.comms, this.events, this.text.buf, this.rawFormats);
    }
    this.onBatch(full);
  }
}

/** Appends b[s, e) to out: a loop for the short samples most are, one copy for the rest. */
function copyInto(out: ByteBuffer, b: Uint8Array, s: number, e: number): void {
  const n = e - s;
  out.ensure(n);
  const dst = out.buf;
  let p = out.len;
  if (n <= 64) for (let k = s; k < e; k++) dst[p++] = b[k];
  else {
    dst.set(b.subarray(s, e), p);
    p += n;
  }
  out.len = p;
}
