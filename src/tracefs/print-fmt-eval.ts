/**
 * Compiles a parsed print fmt into closures that append the payload text perf script (libtraceevent, as built
 * into perf 6.1) prints. Common argument shapes (a plain field with %p/%d/%u/%x, __get_str, __print_symbolic or
 * a ternary over one small field) get closures without BigInt; everything else goes through a generic
 * evaluator with libtraceevent's unsigned 64-bit arithmetic.
 */
import { type ByteWriter, latin1Bytes, writeBytes, writeLatin1 } from './byte-writer.js';
import { type Field, dynamicRange, readSmall, readUnsigned } from './fields.js';
import { binop, type Expr, type PrintFmt } from './print-fmt-parse.js';
import { castForLength, type Conversion, formatInteger, formatPointer, formatString, splitFormat } from './printf.js';
import { tracingError } from './fail.js';

/** What a compiled event needs at render time; `resolve` changes with setSymbols. */
export interface RenderContext {
  readonly le: boolean;
  readonly longSize: number;
  readonly fields: ReadonlyMap<string, Field>;
  resolve: ((addr: bigint) => string | null) | null;
  /** Resolved %pS text per address: locations repeat, lookups are not free. */
  readonly symbolCache: Map<bigint, string | null>;
}

export type Op = (v: DataView, raw: Uint8Array, s: number, e: number, out: ByteWriter) => void;
type NumFn = (v: DataView, raw: Uint8Array, s: number, e: number) => bigint;
/** Produces the text of a %s argument as a latin1 string. */
type StrFn = (v: DataView, raw: Uint8Array, s: number, e: number) => string;

const HEX = latin1Bytes('0123456789abcdef');
const NIL = latin1Bytes('(nil)');

function field(ctx: RenderContext, name: string): Field {
  const f = ctx.fields.get(name);
  if (!f) throw tracingError(`print fmt: field ${name} not in the format`);
  return f;
}

function latin1(raw: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(raw[i]);
  return s;
}

/** Bytes up to the first NUL in [from, to). */
function cstrEnd(raw: Uint8Array, from: number, to: number): number {
  const z = raw.indexOf(0, from);
  return z < 0 || z > to ? to : z;
}

function castMask(type: string, v: bigint): bigint {
  if (type.includes('*')) return v;
  const t = type.replace(/\b(const|volatile|signed|unsigned)\b/g, '').trim();
  if (t === 'char' || t === 'u8' || t === 's8' || t === '__u8' || t === '__s8' || t === 'bool') return v & 0xffn;
  if (t === 'short' || t === 'u16' || t === 's16' || t === '__u16' || t === '__s16') return v & 0xffffn;
  if (t === 'int' || t === '' || t === 'u32' || t === 's32' || t === '__u32' || t === '__s32' || t === 'pid_t')
    return v & 0xffffffffn;
  return v;
}

export function compileNum(ctx: RenderContext, x: Expr): NumFn {
  const le = ctx.le;
  switch (x.k) {
    case 'num': {
      const c = x.v;
      return () => c;
    }
    case 'field': {
      const f = field(ctx, x.name);
      const off = f.offset;
      const size = f.size;
      return (v, _r, s, e) => readUnsigned(v, s + off, size, e, le);
    }
    case 'dynArrayLen': {
      const f = field(ctx, x.name);
      return (v, _r, s, e) => {
        const [a, b] = dynamicRange(v, f, s, e, le);
        return BigInt(b - a);
      };
    }
    case 'unary': {
      const a = compileNum(ctx, x.e);
      if (x.op === '-') return (v, r, s, e) => BigInt.asUintN(64, -a(v, r, s, e));
      if (x.op === '~') return (v, r, s, e) => BigInt.asUintN(64, ~a(v, r, s, e));
      return (v, r, s, e) => (a(v, r, s, e) === 0n ? 1n : 0n);
    }
    case 'cast': {
      const a = compileNum(ctx, x.e);
      const type = x.type;
      return (v, r, s, e) => castMask(type, a(v, r, s, e));
    }
    case 'bin': {
      const l = compileNum(ctx, x.l);
      const rr = compileNum(ctx, x.r);
      const op = x.op;
      return (v, r, s, e) => binop(op, l(v, r, s, e), rr(v, r, s, e));
    }
    case 'cond': {
      const c = compileNum(ctx, x.c);
      const t = compileNum(ctx, x.t);
      const f = compileNum(ctx, x.f);
      return (v, r, s, e) => (c(v, r, s, e) !== 0n ? t(v, r, s, e) : f(v, r, s, e));
    }
    case 'symbolic':
    case 'flags':
      return compileNum(ctx, x.value);
    default:
      // Strings, atoms and buffers have no numeric value in libtraceevent's evaluator.
      return () => 0n;
  }
}

function tableLookup(table: readonly (readonly [bigint, string])[]): Map<bigint, string> {
  const m = new Map<bigint, string>();
  for (const [k, s] of table) if (!m.has(k)) m.set(k, s);
  return m;
}

/** Text of an argument printed with %s (libtraceevent's print_str_arg), before width/precision. */
export function compileStr(ctx: RenderContext, x: Expr, piece: (s: string) => string): StrFn {
  const le = ctx.le;
  switch (x.k) {
    case 'str': {
      const t = piece(x.s);
      return () => t;
    }
    case 'atom': {
      const t = piece(x.name);
      return () => t;
    }
    case 'getStr':
    case 'dynArray': {
      const f = field(ctx, x.name);
      return (v, r, s, e) => {
        const [a, b] = dynamicRange(v, f, s, e, le);
        return piece(latin1(r, a, cstrEnd(r, a, b)));
      };
    }
    case 'field': {
      const f = field(ctx, x.name);
      if (f.isDynamic) return compileStr(ctx, { k: 'getStr', name: x.name }, piece);
      if (!f.isArray && f.size === ctx.longSize) {
        // A pointer printed with %s: libtraceevent looks it up among the printk strings and else prints hex.
        const off = f.offset;
        return (v, _r, s, e) => piece(readUnsigned(v, s + off, f.size, e, le).toString(16));
      }
      const off = f.offset;
      const size = f.size;
      return (_v, r, s, e) => {
        const a = Math.min(s + off, e);
        return piece(latin1(r, a, cstrEnd(r, a, Math.min(a + size, e))));
      };
    }
    case 'symbolic': {
      const val = compileNum(ctx, x.value);
      const m = new Map<bigint, string>();
      for (const [k, s] of tableLookup(x.table)) m.set(k, piece(s));
      return (v, r, s, e) => {
        const n = val(v, r, s, e);
        const t = m.get(n);
        return t !== undefined ? t : `0x${n.toString(16)}`;
      };
    }
    case 'flags': {
      const val = compileNum(ctx, x.value);
      const table = x.table.map(([k, s]) => [k, piece(s)] as const);
      const delim = x.delim;
      return (v, r, s, e) => {
        let n = val(v, r, s, e);
        let out = '';
        let printed = false;
        for (const [fv, str] of table) {
          if (n === 0n && fv === 0n) {
            out += str;
            break;
          }
          if (fv !== 0n && (n & fv) === fv) {
            if (printed && delim) out += delim;
            out += str;
            printed = true;
            n &= ~fv;
          }
        }
        if (n !== 0n) {
          if (printed && delim) out += delim;
          out += `0x${n.toString(16)}`;
        }
        return out;
      };
    }
    case 'cond': {
      const c = compileNum(ctx, x.c);
      const t = compileStr(ctx, x.t, piece);
      const f = compileStr(ctx, x.f, piece);
      return (v, r, s, e) => (c(v, r, s, e) !== 0n ? t(v, r, s, e) : f(v, r, s, e));
    }
    case 'hex': {
      const data = x.data;
      if (data.k !== 'dynArray' && data.k !== 'field' && data.k !== 'getStr') return () => '';
      const f = field(ctx, data.name);
      const len = compileNum(ctx, x.len);
      const sep = x.str ? '' : ' ';
      return (v, r, s, e) => {
        const [a, b] = f.isDynamic
          ? dynamicRange(v, f, s, e, le)
          : [Math.min(s + f.offset, e), Math.min(s + f.offset + f.size, e)];
        const n = Math.min(Number(BigInt.asUintN(32, len(v, r, s, e))), b - a);
        let out = '';
        for (let i = 0; i < n; i++) out += (i ? sep : '') + r[a + i].toString(16).padStart(2, '0');
        return out;
      };
    }
    case 'array': {
      const data = x.data;
      if (data.k !== 'dynArray' && data.k !== 'field' && data.k !== 'getStr') return () => '';
      const f = field(ctx, data.name);
      const count = compileNum(ctx, x.count);
      const elSize = compileNum(ctx, x.elSize);
      return (v, r, s, e) => {
        const [a, b] = f.isDynamic
          ? dynamicRange(v, f, s, e, le)
          : [Math.min(s + f.offset, e), Math.min(s + f.offset + f.size, e)];
        const es = Number(BigInt.asUintN(8, elSize(v, r, s, e)));
        const n = Math.min(Number(BigInt.asUintN(32, count(v, r, s, e))), es > 0 ? Math.floor((b - a) / es) : 0);
        let out = '{';
        for (let i = 0; i < n; i++) out += (i ? ',' : '') + `0x${readUnsigned(v, a + i * es, es, b, le).toString(16)}`;
        return out + '}';
      };
    }
    default:
      return () => '';
  }
}

/** Writes an unsigned 32-bit number in decimal. */
function writeU32(out: ByteWriter, n: number): void {
  out.ensure(10);
  const b = out.buf;
  let p = out.len;
  if (n < 10) {
    b[p] = 48 + n;
    out.len = p + 1;
    return;
  }
  let digits = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
  p += digits;
  out.len = p;
  while (n > 0) {
    b[--p] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
}

function writeHex32(out: ByteWriter, n: number, pad8: boolean): void {
  out.ensure(8);
  const b = out.buf;
  let p = out.len;
  let started = pad8;
  for (let sh = 28; sh >= 0; sh -= 4) {
    const d = (n >>> sh) & 15;
    if (d !== 0 || started || sh === 0) {
      b[p++] = HEX[d];
      started = true;
    }
  }
  out.len = p;
}

/** glibc %p of an 8-byte field, written from its two halves. */
function pointer64(off: number, le: boolean): Op {
  return (v, _r, s, e, out) => {
    const at = s + off;
    let hi = 0;
    let lo = 0;
    if (at + 8 <= e) {
      lo = v.getUint32(le ? at : at + 4, le);
      hi = v.getUint32(le ? at + 4 : at, le);
    }
    if (hi === 0 && lo === 0) {
      writeBytes(out, NIL);
      return;
    }
    out.ensure(2);
    out.buf[out.len++] = 48;
    out.buf[out.len++] = 120;
    if (hi !== 0) {
      writeHex32(out, hi, false);
      writeHex32(out, lo, true);
    } else writeHex32(out, lo, false);
  };
}

function plain(c: Conversion): boolean {
  return !c.minus && !c.plus && !c.space && !c.hash && !c.zero && c.width === -1 && c.precision === -1;
}

function compileConversion(
  ctx: RenderContext,
  c: Conversion,
  arg: Expr,
  widthArg: NumFn | null,
  precArg: NumFn | null,
): Op {
  const le = ctx.le;
  const dyn = widthArg !== null || precArg !== null;
  const width = (v: DataView, r: Uint8Array, s: number, e: number): number => {
    if (!widthArg) return c.width;
    const w = Number(BigInt.asIntN(32, widthArg(v, r, s, e)));
    return Math.min(Math.abs(w), 4096);
  };
  const prec = (v: DataView, r: Uint8Array, s: number, e: number): number =>
    precArg ? Math.min(Math.max(Number(BigInt.asIntN(32, precArg(v, r, s, e))), -1), 4096) : c.precision;

  if (c.conv === 's') {
    // Fast paths: __get_str and a ternary / symbol table over a small field, with no width.
    if (plain(c) && !dyn) {
      if (arg.k === 'getStr' || (arg.k === 'field' && ctx.fields.get(arg.name)?.isDynamic === true)) {
        const f = field(ctx, arg.name);
        return (v, r, s, e, out) => {
          const [a, b] = dynamicRange(v, f, s, e, le);
          const z = cstrEnd(r, a, b);
          out.ensure(z - a);
          out.buf.set(r.subarray(a, z), out.len);
          out.len += z - a;
        };
      }
      if (arg.k === 'symbolic' && arg.value.k === 'field') {
        const f = field(ctx, arg.value.name);
        if (f.size <= 4) {
          const m = new Map<number, Uint8Array>();
          for (const [k, str] of tableLookup(arg.table)) if (k <= 0xffffffffn) m.set(Number(k), latin1Bytes(str));
          const off = f.offset;
          const size = f.size;
          return (v, _r, s, e, out) => {
            const n = readSmall(v, s + off, size, e, le);
            const t = m.get(n);
            if (t !== undefined) writeBytes(out, t);
            else writeLatin1(out, `0x${n.toString(16)}`);
          };
        }
      }
      if (arg.k === 'cond' && arg.c.k === 'field' && arg.t.k === 'str' && arg.f.k === 'str') {
        const f = field(ctx, arg.c.name);
        if (f.size <= 4) {
          const off = f.offset;
          const size = f.size;
          const yes = latin1Bytes(arg.t.s);
          const no = latin1Bytes(arg.f.s);
          return (v, _r, s, e, out) => writeBytes(out, readSmall(v, s + off, size, e, le) !== 0 ? yes : no);
        }
      }
    }
    if (plain(c) && !dyn) {
      const str = compileStr(ctx, arg, (x) => x);
      return (v, r, s, e, out) => writeLatin1(out, str(v, r, s, e));
    }
    // libtraceevent prints each piece (each flag name) with the conversion's own width and precision.
    const str = compileStr(ctx, arg, (x) => x);
    return (v, r, s, e, out) => writeLatin1(out, formatString(c, str(v, r, s, e), width(v, r, s, e), prec(v, r, s, e)));
  }

  if (c.conv === 'p') {
    if (arg.k === 'str') {
      const t = arg.s;
      return (_v, _r, _s, _e, out) => writeLatin1(out, t);
    }
    const num = compileNum(ctx, arg);
    const ext = c.ext.charAt(0);
    if (ext === 'S' || ext === 's' || ext === 'F' || ext === 'f') {
      const withOffset = ext === 'S' || ext === 'F';
      const long4 = ctx.longSize === 4;
      return (v, r, s, e, out) => {
        const a = num(v, r, s, e);
        let t: string | null | undefined = null;
        if (ctx.resolve) {
          t = ctx.symbolCache.get(a);
          if (t === undefined) {
            t = ctx.resolve(a);
            if (ctx.symbolCache.size > 1 << 16) ctx.symbolCache.clear();
            ctx.symbolCache.set(a, t);
          }
        }
        if (t !== null) {
          if (withOffset) writeLatin1(out, t);
          else {
            const plus = t.lastIndexOf('+0x');
            writeLatin1(out, plus < 0 ? t : t.slice(0, plus));
          }
        } else writeLatin1(out, `0x${(long4 ? BigInt.asUintN(32, a) : a).toString(16)}`);
      };
    }
    if (ext === 'M' || ext === 'm') {
      return compilePointerBuffer(ctx, arg, 6, (b) =>
        Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(ext === 'M' ? ':' : ''),
      );
    }
    if (ext.startsWith('I') || ext.startsWith('i')) {
      const v6 = c.ext.includes('6');
      return compilePointerBuffer(ctx, arg, v6 ? 16 : 4, (b) =>
        v6 ? ipv6(b, c.ext.includes('c')) : Array.from(b).join('.'),
      );
    }
    if (arg.k === 'field' && plain(c) && !dyn) {
      const f = field(ctx, arg.name);
      if (f.size === 8) return pointer64(f.offset, le);
    }
    return (v, r, s, e, out) =>
      writeLatin1(
        out,
        formatPointer(c, BigInt.asUintN(ctx.longSize === 4 ? 32 : 64, num(v, r, s, e)), width(v, r, s, e)),
      );
  }

  // Integer conversions.
  if (plain(c) && !dyn && arg.k === 'field' && c.length >= 0) {
    const f = field(ctx, arg.name);
    if (f.size <= 4 && (c.conv === 'u' || c.conv === 'd' || c.conv === 'i' || c.conv === 'x')) {
      const off = f.offset;
      const size = f.size;
      const signed = c.conv !== 'u' && c.conv !== 'x';
      if (c.conv === 'x') return (v, _r, s, e, out) => writeHex32(out, readSmall(v, s + off, size, e, le), false);
      return (v, _r, s, e, out) => {
        const n = readSmall(v, s + off, size, e, le);
        // The value is zero-extended from the field and then cast to int: only a 4-byte field can look negative.
        if (signed && n >= 0x80000000) {
          out.ensure(1);
          out.buf[out.len++] = 45;
          writeU32(out, 0x100000000 - n);
        } else writeU32(out, n);
      };
    }
  }
  const num = compileNum(ctx, arg);
  const signedConv = c.conv === 'd' || c.conv === 'i';
  return (v, r, s, e, out) =>
    writeLatin1(
      out,
      formatInteger(c, castForLength(num(v, r, s, e), c.length, signedConv), width(v, r, s, e), prec(v, r, s, e)),
    );
}

function ipv6(b: Uint8Array, compact: boolean): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((b[i] << 8) | b[i + 1]).toString(16));
  if (!compact)
    return Array.from({ length: 8 }, (_x, i) => ((b[2 * i] << 8) | b[2 * i + 1]).toString(16).padStart(4, '0')).join(
      ':',
    );
  // RFC 5952: the longest run (of 2+) of zero words becomes "::".
  let best = -1,
    bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return words.join(':');
  return `${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}`;
}

/** %pM / %pI4 / %pI6: the argument names an array field holding the bytes. */
function compilePointerBuffer(ctx: RenderContext, arg: Expr, n: number, fmt: (b: Uint8Array) => string): Op {
  const name = arg.k === 'field' || arg.k === 'dynArray' || arg.k === 'getStr' ? arg.name : null;
  if (name === null) return () => {};
  const f = field(ctx, name);
  return (v, r, s, e, out) => {
    const [a, b] = f.isDynamic
      ? dynamicRange(v, f, s, e, ctx.le)
      : [Math.min(s + f.offset, e), Math.min(s + f.offset + f.size, e)];
    if (b - a < n) return;
    writeLatin1(out, fmt(r.subarray(a, a + n)));
  };
}

/** The closures for a whole print fmt, in order. */
/** One conversion of a print fmt, compiled: its text (`%pS`), its argument, and the op that prints it. */
export interface CompiledConversion {
  readonly text: string;
  readonly arg: Expr;
  readonly op: Op;
}

export interface CompiledPrintFmt {
  /** Literal pieces and conversions, in order: together they print the payload. */
  readonly ops: Op[];
  readonly conversions: CompiledConversion[];
}

export function compilePrintFmt(ctx: RenderContext, pf: PrintFmt): CompiledPrintFmt {
  const ops: Op[] = [];
  const conversions: CompiledConversion[] = [];
  let argi = 0;
  const next = (): Expr => {
    const a = pf.args.at(argi++);
    if (a === undefined) throw tracingError('print fmt has fewer arguments than conversions');
    return a;
  };
  for (const piece of splitFormat(pf.format)) {
    if ('literal' in piece) {
      const bytes = latin1Bytes(piece.literal);
      ops.push((_v, _r, _s, _e, out) => writeBytes(out, bytes));
      continue;
    }
    const c = piece.conversion;
    const widthArg = c.width === -2 ? compileNum(ctx, next()) : null;
    const precArg = c.precision === -2 ? compileNum(ctx, next()) : null;
    const arg = next();
    const op = compileConversion(ctx, c, arg, widthArg, precArg);
    ops.push(op);
    conversions.push({ text: c.text, arg, op });
  }
  return { ops, conversions };
}

/** The names of the fields an argument reads. */
export function fieldsRead(x: Expr, into = new Set<string>()): Set<string> {
  switch (x.k) {
    case 'field':
    case 'getStr':
    case 'dynArray':
    case 'dynArrayLen':
      into.add(x.name);
      break;
    case 'symbolic':
    case 'flags':
      fieldsRead(x.value, into);
      break;
    case 'hex':
      fieldsRead(x.data, into);
      fieldsRead(x.len, into);
      break;
    case 'array':
      fieldsRead(x.data, into);
      fieldsRead(x.count, into);
      fieldsRead(x.elSize, into);
      break;
    case 'unary':
    case 'cast':
      fieldsRead(x.e, into);
      break;
    case 'bin':
      fieldsRead(x.l, into);
      fieldsRead(x.r, into);
      break;
    case 'cond':
      fieldsRead(x.c, into);
      fieldsRead(x.t, into);
      fieldsRead(x.f, into);
      break;
  }
  return into;
}
