/**
 * The HEADER_TRACING_DATA blob perf record stores (tools/perf/util/trace-event-info.c writes it,
 * trace-event-read.c reads it): magic, version, endianness, long and page size, header_page, header_event,
 * ftrace formats, event formats per system, kallsyms, printk formats, saved cmdlines.
 * Every length is checked against what is left, so garbage fails with one line and allocates nothing big.
 */
import { tracingError } from './fail.js';
import { CompiledEvent, type EventFormat } from './event-format.js';
import type { Field } from './fields.js';
import { parseFormatFile } from './format-file.js';
import type { RenderContext } from './print-fmt-eval.js';

const MAGIC = [0x17, 0x08, 0x44, 0x74, 0x72, 0x61, 0x63, 0x69, 0x6e, 0x67]; // "\x17\x08Dtracing"
/** No real format file is near this; it bounds the text decoded per event. */
const MAX_FORMAT_FILE = 1 << 20;
const MAX_EVENTS = 1 << 16;

export interface TraceFormats {
  byId(id: number): EventFormat | undefined;
}

/** The parsed tracing data: formats by ID, plus what perf's reader keeps that rendering needs. */
export class TracingData implements TraceFormats {
  readonly events: CompiledEvent[] = [];
  private readonly ids = new Map<number, CompiledEvent>();
  constructor(
    readonly version: string,
    readonly littleEndian: boolean,
    readonly longSize: number,
    readonly pageSize: number,
  ) {}
  add(e: CompiledEvent): void {
    this.events.push(e);
    if (!this.ids.has(e.id)) this.ids.set(e.id, e);
  }
  byId(id: number): EventFormat | undefined {
    return this.ids.get(id);
  }
}

class Reader {
  p = 0;
  private readonly v: DataView;
  constructor(
    private readonly b: Uint8Array,
    private le = true,
  ) {
    this.v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  setLittleEndian(le: boolean): void {
    this.le = le;
  }
  need(n: number, what: string): void {
    if (n < 0 || this.p + n > this.b.length)
      throw tracingError(`${what}: needs ${n} bytes at offset ${this.p}, ${this.b.length - this.p} left`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.b[this.p++];
  }
  u32(what: string): number {
    this.need(4, what);
    const x = this.v.getUint32(this.p, this.le);
    this.p += 4;
    return x;
  }
  /** A u64 size, which must fit in what is left. */
  size64(what: string): number {
    this.need(8, what);
    const x = this.v.getBigUint64(this.p, this.le);
    this.p += 8;
    if (x > BigInt(this.b.length - this.p))
      throw tracingError(
        `${what}: size ${x} at offset ${this.p - 8} is more than the ${this.b.length - this.p} bytes left`,
      );
    return Number(x);
  }
  size32(what: string): number {
    const x = this.u32(what);
    if (x > this.b.length - this.p)
      throw tracingError(
        `${what}: size ${x} at offset ${this.p - 4} is more than the ${this.b.length - this.p} bytes left`,
      );
    return x;
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const s = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return s;
  }
  text(n: number, what: string): string {
    const s = this.bytes(n, what);
    let t = '';
    for (let i = 0; i < s.length; i++) t += String.fromCharCode(s[i]);
    return t;
  }
  cstring(max: number, what: string): string {
    const end = this.b.indexOf(0, this.p);
    if (end < 0 || end - this.p > max) throw tracingError(`${what}: no terminated string at offset ${this.p}`);
    const t = this.text(end - this.p, what);
    this.p++;
    return t;
  }
  tag(tag: string, what: string): void {
    const t = this.text(tag.length, what);
    if (t !== tag)
      throw tracingError(`${what}: expected ${JSON.stringify(tag.replace('\0', ''))} at offset ${this.p - tag.length}`);
  }
}

/** header_page's `commit` field size: perf takes the kernel's long size from it. */
function commitSize(text: string): number | null {
  const m = /field:\s*local_t\s+commit;\s*offset:\d+;\s*size:(\d+);/.exec(text);
  return m ? Number(m[1]) : null;
}

export function parseTracingData(bytes: Uint8Array): TracingData {
  const r = new Reader(bytes);
  const magic = r.bytes(Math.min(10, bytes.length), 'magic');
  if (magic.length < 10 || MAGIC.some((c, i) => magic[i] !== c))
    throw tracingError('not tracing data (no "\\x17\\x08Dtracing" magic)');
  const version = r.cstring(64, 'version');
  const big = r.u8('endianness');
  if (big > 1) throw tracingError(`endianness byte ${big}`);
  r.setLittleEndian(big === 0);
  let longSize = r.u8('long size');
  if (longSize !== 4 && longSize !== 8) throw tracingError(`long size ${longSize}`);
  const pageSize = r.u32('page size');
  if (pageSize === 0) throw tracingError('page size 0');

  r.tag('header_page\0', 'header_page');
  const hp = r.text(r.size64('header_page'), 'header_page');
  longSize = commitSize(hp) === 4 ? 4 : commitSize(hp) === 8 ? 8 : longSize;
  r.tag('header_event\0', 'header_event');
  r.bytes(r.size64('header_event'), 'header_event');

  const td = new TracingData(version, big === 0, longSize, pageSize);
  const addEvent = (system: string, text: string, where: string): void => {
    const file = parseFormatFile(text, where);
    const fields = new Map<string, Field>();
    for (const f of file.fields) if (!fields.has(f.name)) fields.set(f.name, f);
    const ctx: RenderContext = { le: big === 0, longSize, fields, resolve: null, symbolCache: new Map() };
    td.add(new CompiledEvent(system, file, ctx));
  };

  const nFtrace = r.u32('ftrace format count');
  if (nFtrace > MAX_EVENTS) throw tracingError(`${nFtrace} ftrace formats`);
  for (let i = 0; i < nFtrace; i++) {
    const n = r.size64('ftrace format');
    if (n > MAX_FORMAT_FILE) throw tracingError(`ftrace format of ${n} bytes`);
    addEvent('ftrace', r.text(n, 'ftrace format'), `ftrace format ${i}`);
  }
  const nSystems = r.u32('system count');
  if (nSystems > MAX_EVENTS) throw tracingError(`${nSystems} systems`);
  for (let i = 0; i < nSystems; i++) {
    const system = r.cstring(256, 'system name');
    const count = r.u32(`${system} event count`);
    if (count > MAX_EVENTS) throw tracingError(`${count} events in ${system}`);
    for (let j = 0; j < count; j++) {
      const n = r.size64(`${system} format`);
      if (n > MAX_FORMAT_FILE) throw tracingError(`${system} format of ${n} bytes`);
      addEvent(system, r.text(n, `${system} format`), `${system} format ${j}`);
    }
  }
  // perf 6.1 skips the kallsyms copy (it resolves through its own machine symbols), and so does this reader.
  r.bytes(r.size32('kallsyms'), 'kallsyms');
  r.bytes(r.size32('printk formats'), 'printk formats');
  if (Number.parseFloat(version) >= 0.6) r.bytes(r.size64('saved cmdlines'), 'saved cmdlines');
  // Pipe mode pads the blob to 8 bytes: whatever follows is not read, as in perf.
  return td;
}
