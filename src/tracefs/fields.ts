/** An event format's fields, and reading their values out of a raw sample. */

export interface Field {
  readonly name: string;
  /** The declared type without the name, e.g. `unsigned int`, `char[]`, `struct napi_struct *`. */
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  /** `[N]` arrays (static), with N elements. */
  readonly isArray: boolean;
  /** `__data_loc`: the field holds (len << 16 | offset from the record start). */
  readonly isDynamic: boolean;
  /** `__rel_loc`: like __data_loc, the offset counted from the end of the field. */
  readonly isRelative: boolean;
  /** char arrays and dynamic char arrays print as strings. */
  readonly isString: boolean;
  readonly isPointer: boolean;
  readonly isLong: boolean;
}

/** Reads an unsigned field value (libtraceevent reads fields unsigned; sizes other than 1/2/4/8 read 0). */
export function readUnsigned(view: DataView, at: number, size: number, end: number, le: boolean): bigint {
  if (at < 0 || at + size > end) return 0n;
  switch (size) {
    case 1:
      return BigInt(view.getUint8(at));
    case 2:
      return BigInt(view.getUint16(at, le));
    case 4:
      return BigInt(view.getUint32(at, le));
    case 8:
      return view.getBigUint64(at, le);
    default:
      return 0n;
  }
}

/** As readUnsigned, for sizes up to 4, as a number (the hot path avoids BigInt). */
export function readSmall(view: DataView, at: number, size: number, end: number, le: boolean): number {
  if (at < 0 || at + size > end) return 0;
  switch (size) {
    case 1:
      return view.getUint8(at);
    case 2:
      return view.getUint16(at, le);
    case 4:
      return view.getUint32(at, le);
    default:
      return 0;
  }
}

/** Start and end (exclusive, clamped to the record) of a __data_loc / __rel_loc field's bytes. */
export function dynamicRange(
  view: DataView,
  f: Field,
  rawStart: number,
  rawEnd: number,
  le: boolean,
): [number, number] {
  const at = rawStart + f.offset;
  if (f.size !== 4 || at + 4 > rawEnd) return [rawStart, rawStart];
  const v = view.getUint32(at, le);
  let start = rawStart + (v & 0xffff);
  if (f.isRelative) start += f.offset + f.size;
  const len = v >>> 16;
  const s = Math.min(start, rawEnd);
  return [s, Math.min(s + len, rawEnd)];
}
