/**
 * What the records are read against: the attrs with their ids, the tracepoint formats and event names. Filled
 * from the file header (file mode) or from HEADER_ATTR / ID_INDEX / HEADER_TRACING_DATA / HEADER_FEATURE
 * records (pipe mode).
 */
import { idPos, isPos, sampleIdSize, type EventAttr } from './attr.js';
import { S_IDENTIFIER, S_IP, S_TID, S_TIME, TYPE_TRACEPOINT } from './constants.js';
import type { EventFormat, TraceFormats } from './tracing-contract.js';
import type { PerfDataMetadata } from './metadata.js';
import type { StringTable } from '../../core/strings.js';
import { bitCount } from './attr.js';

export class Session {
  readonly attrs: EventAttr[] = [];
  /** id (as a number key) -> attr index. */
  private readonly byId = new Map<number, number>();
  formats: TraceFormats | null = null;
  /** Per attr: the events-table id of its name (-1: not yet looked up), its format, its time's offset. */
  private eventIds: number[] = [];
  private eventFormats: (EventFormat | null)[] = [];
  timeAt: number[] = [];
  /** perf reads every record's id where the first attr has it (evlist id_pos / is_pos). */
  idPos = -1;
  isPos = -1;
  sampleIdAll = false;
  idSizes: number[] = [];
  private lastKey = -1;
  private lastAttr = -1;

  constructor(
    private readonly events: StringTable,
    private readonly meta: PerfDataMetadata,
  ) {}

  addAttr(attr: EventAttr): void {
    this.attrs.push(attr);
    for (const id of attr.ids) this.byId.set(keyOf(id), this.attrs.length - 1);
    this.changed();
  }

  setFormats(formats: TraceFormats): void {
    this.formats = formats;
    this.changed();
  }

  /** Event names may have come (event desc): looked up again at the next sample. */
  changed(): void {
    const first = this.attrAt(0);
    if (first) {
      this.idPos = idPos(first.sampleType);
      this.isPos = isPos(first.sampleType);
      this.sampleIdAll = first.sampleIdAll;
    }
    this.eventIds = this.attrs.map(() => -1);
    this.eventFormats = this.attrs.map(() => null);
    this.timeAt = this.attrs.map((a) =>
      a.sampleType & S_TIME ? 8 + 8 * bitCount(a.sampleType & (S_IDENTIFIER | S_IP | S_TID)) : -1,
    );
    this.idSizes = this.attrs.map((a) => (a.sampleIdAll ? sampleIdSize(a.sampleType) : 0));
    this.lastKey = -1;
    this.lastAttr = -1;
  }

  /** The attr at an index, undefined when there is none (an unknown id gives -1). */
  attrAt(i: number): EventAttr | undefined {
    return this.attrs[i];
  }

  /** The attr index of an id key (from sample.ts idFromStart / idFromEnd); -1 when unknown. */
  attrOfKey(key: number): number {
    if (key === this.lastKey) return this.lastAttr;
    // Synthesized records carry id 0: perf takes the first attr for them.
    const a = key === 0 ? 0 : (this.byId.get(key) ?? -1);
    this.lastKey = key;
    this.lastAttr = a;
    return a;
  }

  eventId(attr: number): number {
    const id = this.eventIds[attr];
    return id >= 0 ? id : this.lookUp(attr);
  }

  format(attr: number): EventFormat | null {
    if (this.eventIds[attr] < 0) this.lookUp(attr);
    return this.eventFormats[attr];
  }

  private lookUp(i: number): number {
    const a = this.attrs[i];
    const f = a.type === TYPE_TRACEPOINT && this.formats ? (this.formats.byId(Number(a.config)) ?? null) : null;
    const name = f ? f.fullName : (this.descName(a) ?? `${a.type}:0x${a.config.toString(16)}`);
    const bytes = new TextEncoder().encode(name);
    const id = this.events.idOfBytes(bytes, 0, bytes.length);
    this.eventIds[i] = id;
    this.eventFormats[i] = f;
    return id;
  }

  /** The attr's name from the event desc feature, matched by its ids. */
  private descName(a: EventAttr): string | null {
    if (a.name) return a.name;
    for (const d of this.meta.events) {
      for (const id of a.ids) if (d.ids.includes(id.toString())) return d.name;
    }
    return null;
  }
}

const keyOf = (id: bigint): number => Number(id >> 32n) * 4294967296 + Number(id & 0xffffffffn);
