/** One event: its format compiled once, rendered for every sample. */
import { type ByteWriter, writeLatin1 } from './byte-writer.js';
import type { Field } from './fields.js';
import { dynamicRange, readUnsigned } from './fields.js';
import type { FormatFile } from './format-file.js';
import { compilePrintFmt, fieldsRead, type CompiledConversion, type Op, type RenderContext } from './print-fmt-eval.js';
import { parsePrintFmt } from './print-fmt-parse.js';

export interface EventFormat {
  readonly id: number;
  readonly system: string;
  readonly name: string;
  /** perf's event name, e.g. 'net:netif_rx'. */
  readonly fullName: string;
  /** Appends the payload text perf script prints for this raw sample (no trailing newline) to out. */
  render(raw: Uint8Array, rawStart: number, rawEnd: number, out: ByteWriter): void;
  /** Byte order of the raw samples. */
  readonly littleEndian: boolean;
  readonly fields: readonly Field[];
  /** The print fmt's format string, without its arguments; null when it did not compile (nor print). */
  readonly printFormat: string | null;
  /** Its conversions in order, each printable alone; empty when the print fmt did not compile. */
  readonly conversions: readonly ConversionInfo[];
}

/** One conversion of an event's print fmt, for readers that take field values from the raw sample. */
export interface ConversionInfo {
  /** As written, e.g. `%pS`, `%u`, `%s`. */
  readonly text: string;
  /** The field when the argument is exactly one (`REC->len`, `__get_str(name)`), else null. */
  readonly field: Field | null;
  /** The one field the argument reads (a symbol table or a ternary over it), else null. */
  readonly keyField: Field | null;
  /** Appends what this conversion prints for a raw sample. */
  render(raw: Uint8Array, rawStart: number, rawEnd: number, out: ByteWriter): void;
}

export class CompiledEvent implements EventFormat {
  readonly fullName: string;
  /** Null when libtraceevent could not have parsed the print fmt either: then it prints raw fields. */
  private readonly ops: Op[] | null;
  /** Why the print fmt did not compile (kept for diagnostics). */
  readonly failure: string | null;
  readonly printFormat: string | null;
  readonly conversions: readonly ConversionInfo[];
  private view: DataView | null = null;
  private viewOf: Uint8Array | null = null;

  constructor(
    readonly system: string,
    private readonly file: FormatFile,
    readonly ctx: RenderContext,
  ) {
    this.fullName = `${system}:${file.name}`;
    let ops: Op[] | null = null;
    let failure: string | null = null;
    let format: string | null = null;
    let conversions: ConversionInfo[] = [];
    try {
      if (file.printFmt === null) throw new Error('no print fmt');
      const pf = parsePrintFmt(file.printFmt);
      const compiled = compilePrintFmt(ctx, pf);
      ops = compiled.ops;
      format = pf.format;
      conversions = compiled.conversions.map((c) => this.conversionInfo(c));
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    this.ops = ops;
    this.failure = failure;
    this.printFormat = format;
    this.conversions = conversions;
  }

  get littleEndian(): boolean {
    return this.ctx.le;
  }

  private conversionInfo(c: CompiledConversion): ConversionInfo {
    const byName = (name: string): Field | null => this.ctx.fields.get(name) ?? null;
    const read = [...fieldsRead(c.arg)];
    const op = c.op;
    return {
      text: c.text,
      field: c.arg.k === 'field' || c.arg.k === 'getStr' ? byName(c.arg.name) : null,
      keyField: read.length === 1 ? byName(read[0]) : null,
      render: (raw, rawStart, rawEnd, out) => {
        const s = Math.max(0, Math.min(rawStart, raw.length));
        op(this.viewFor(raw), raw, s, Math.max(s, Math.min(rawEnd, raw.length)), out);
      },
    };
  }

  private viewFor(raw: Uint8Array): DataView {
    let v = this.view;
    if (this.viewOf !== raw || v === null) {
      v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      this.view = v;
      this.viewOf = raw;
    }
    return v;
  }

  get id(): number {
    return this.file.id;
  }
  get name(): string {
    return this.file.name;
  }
  get fields(): readonly Field[] {
    return this.file.fields;
  }

  render(raw: Uint8Array, rawStart: number, rawEnd: number, out: ByteWriter): void {
    const v = this.viewFor(raw);
    const s = Math.max(0, Math.min(rawStart, raw.length));
    const e = Math.max(s, Math.min(rawEnd, raw.length));
    const ops = this.ops;
    if (ops === null) {
      this.renderFailed(v, raw, s, e, out);
      return;
    }
    for (let i = 0; i < ops.length; i++) ops[i](v, raw, s, e, out);
  }

  /** libtraceevent's "[FAILED TO PARSE]" line: the non-common fields as name=value. */
  private renderFailed(v: DataView, raw: Uint8Array, s: number, e: number, out: ByteWriter): void {
    const le = this.ctx.le;
    let t = '[FAILED TO PARSE]';
    for (const f of this.file.fields) {
      if (f.name.startsWith('common_')) continue;
      t += ` ${f.name}=`;
      if (f.isArray) {
        const [a, end] = f.isDynamic
          ? dynamicRange(v, f, s, e, le)
          : [Math.min(s + f.offset, e), Math.min(s + f.offset + f.size, e)];
        let b = end;
        if (
          f.isString &&
          b > a &&
          raw
            .subarray(a, b)
            .every((c, i, arr) => (c >= 32 && c < 127) || (c === 0 && i === arr.length - 1) || c === 9 || c === 10)
        ) {
          const z = raw.indexOf(0, a);
          if (z >= 0 && z < b) b = z;
          for (let i = a; i < b; i++) t += String.fromCharCode(raw[i]);
        } else {
          const hex: string[] = [];
          for (let i = a; i < b; i++) hex.push(raw[i].toString(16).padStart(2, '0'));
          t += `ARRAY[${hex.join(', ')}]`;
        }
        continue;
      }
      const val = readUnsigned(v, s + f.offset, f.size, e, le);
      if (f.isPointer || (f.isLong && !f.signed)) t += `0x${val.toString(16)}`;
      else if (f.signed) {
        if (f.size === 4 && f.isLong) t += `0x${BigInt.asUintN(32, val).toString(16)}`;
        else
          t += (
            f.size === 4
              ? BigInt.asIntN(32, val)
              : f.size === 2
                ? BigInt.asIntN(16, val)
                : f.size === 1
                  ? BigInt.asIntN(8, val)
                  : BigInt.asIntN(64, val)
          ).toString();
      } else t += val.toString();
    }
    writeLatin1(out, t);
  }
}
