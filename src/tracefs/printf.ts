/**
 * The C printf subset libtraceevent hands to glibc when it renders a print fmt: the format string is split
 * once into literal text and conversions, and conversions are formatted here the way glibc would.
 */

export interface Conversion {
  /** The conversion's own text, e.g. `%03d`, `%-10s`, `%pS` (handed to %s pieces as their format). */
  readonly text: string;
  readonly minus: boolean;
  readonly plus: boolean;
  readonly space: boolean;
  readonly hash: boolean;
  readonly zero: boolean;
  /** -1: none; -2: `*` (taken from an argument). */
  readonly width: number;
  readonly precision: number;
  /** libtraceevent's length class: -2 hh, -1 h, 0 none, 1 l (and z), 2 ll. */
  readonly length: number;
  /** d i u x X o c s p, or % for a literal percent. */
  readonly conv: string;
  /** After %p: the extension letters consumed (`S`, `s`, `F`, `f`, `M`, `m`, `I4`, `I6c`, …), '' for plain %p. */
  readonly ext: string;
}

export type Piece = { readonly literal: string } | { readonly conversion: Conversion };

/**
 * A width or precision at fmt[j]: -2 for `*`, else its decimal digits (six at the most), or `none` when there are
 * none; with where it ends.
 */
function countAt(fmt: string, j: number, none: number): [number, number] {
  if (fmt[j] === '*') return [-2, j + 1];
  let d = '';
  while (j < fmt.length && fmt[j] >= '0' && fmt[j] <= '9' && d.length < 6) d += fmt[j++];
  return [d ? Number(d) : none, j];
}

/** Splits a print fmt format string (already unquoted) into pieces. Unknown conversions stay literal. */
export function splitFormat(fmt: string): Piece[] {
  const out: Piece[] = [];
  let lit = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    if (c !== '%') {
      lit += c;
      i++;
      continue;
    }
    if (fmt[i + 1] === '%') {
      lit += '%';
      i += 2;
      continue;
    }
    const start = i;
    let j = i + 1;
    let minus = false,
      plus = false,
      space = false,
      hash = false,
      zero = false;
    for (; j < fmt.length; j++) {
      const f = fmt[j];
      if (f === '-') minus = true;
      else if (f === '+') plus = true;
      else if (f === ' ') space = true;
      else if (f === '#') hash = true;
      else if (f === '0') zero = true;
      else break;
    }
    const [width, afterWidth] = countAt(fmt, j, -1);
    j = afterWidth;
    let precision = -1;
    if (fmt[j] === '.') [precision, j] = countAt(fmt, j + 1, 0);
    let length = 0;
    if (fmt.startsWith('hh', j)) {
      length = -2;
      j += 2;
    } else if (fmt[j] === 'h') {
      length = -1;
      j++;
    } else if (fmt.startsWith('ll', j) || fmt[j] === 'L' || fmt[j] === 'q') {
      length = 2;
      j += fmt[j] === 'l' ? 2 : 1;
    } else if (fmt[j] === 'l' || fmt[j] === 'z' || fmt[j] === 'Z' || fmt[j] === 'j' || fmt[j] === 't') {
      length = 1;
      j++;
    }
    const conv = fmt[j] ?? '';
    if (!'diuxXocsp'.includes(conv) || conv === '') {
      // Not a conversion libtraceevent knows: glibc would print something odd; keep the text.
      lit += fmt.slice(start, j + 1);
      i = j + 1;
      continue;
    }
    j++;
    let ext = '';
    if (conv === 'p') {
      const e = fmt.at(j);
      if (e !== undefined && 'FfSsMm'.includes(e)) {
        ext = e;
        j++;
      } else if (e === 'I' || e === 'i') {
        ext = e;
        j++;
        if (fmt[j] === '4' || fmt[j] === '6' || fmt[j] === 'S') ext += fmt[j++];
        if (fmt[j] === 'c') ext += fmt[j++];
      }
      // Other letters (for example `x` of %px) are not consumed: they print after the pointer, as in perf.
    }
    if (lit) out.push({ literal: lit });
    lit = '';
    out.push({
      conversion: { text: fmt.slice(start, j), minus, plus, space, hash, zero, width, precision, length, conv, ext },
    });
    i = j;
  }
  if (lit) out.push({ literal: lit });
  return out;
}

/** The value after libtraceevent's cast for the length class: `(int)val` and so on, as a two's complement pattern. */
export function castForLength(v: bigint, length: number, signedConv: boolean): bigint {
  const bits = length === -2 ? 8 : length === -1 ? 16 : length === 0 ? 32 : 64;
  return signedConv ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

function pad(s: string, width: number, left: boolean, ch = ' '): string {
  if (width <= s.length) return s;
  return left ? s + ' '.repeat(width - s.length) : ch.repeat(width - s.length) + s;
}

/** glibc's rendering of an integer conversion (d i u x X o c) of an already cast value. */
export function formatInteger(c: Conversion, v: bigint, width: number, precision: number): string {
  if (c.conv === 'c') return pad(String.fromCharCode(Number(BigInt.asUintN(8, v))), width, c.minus);
  const signedConv = c.conv === 'd' || c.conv === 'i';
  const neg = signedConv && v < 0n;
  const mag = neg ? -v : v;
  let digits: string;
  if (c.conv === 'x') digits = mag.toString(16);
  else if (c.conv === 'X') digits = mag.toString(16).toUpperCase();
  else if (c.conv === 'o') digits = mag.toString(8);
  else digits = mag.toString(10);
  if (precision >= 0) {
    if (precision === 0 && mag === 0n) digits = '';
    if (digits.length < precision) digits = '0'.repeat(precision - digits.length) + digits;
  }
  let prefix = '';
  if (signedConv) prefix = neg ? '-' : c.plus ? '+' : c.space ? ' ' : '';
  if (c.hash && mag !== 0n && (c.conv === 'x' || c.conv === 'X')) prefix = c.conv === 'x' ? '0x' : '0X';
  if (c.hash && c.conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
  if (c.zero && !c.minus && precision < 0 && width > prefix.length + digits.length) {
    digits = '0'.repeat(width - prefix.length - digits.length) + digits;
  }
  return pad(prefix + digits, width, c.minus);
}

/** glibc %s with width and precision; the string holds bytes as latin1 characters. */
export function formatString(c: Conversion, s: string, width: number, precision: number): string {
  const t = precision >= 0 && s.length > precision ? s.slice(0, precision) : s;
  return pad(t, width, c.minus);
}

/** glibc %p: `0x…` in lower-case hex, `(nil)` for NULL. */
export function formatPointer(c: Conversion, v: bigint, width: number): string {
  return pad(v === 0n ? '(nil)' : `0x${v.toString(16)}`, width, c.minus);
}
