/** Byte-level value parsers for tracepoint payloads: no strings, no regular expressions. */
import { parseInt32 } from '../decode/text/digits.js';
import type { IntColumn, U64Column } from '../core/columns.js';

export const bytesOf = (s: string): Uint8Array => new TextEncoder().encode(s);

/** True when b[s, e) equals `k`. */
export function equals(b: Uint8Array, s: number, e: number, k: Uint8Array): boolean {
  if (e - s !== k.length) return false;
  for (let i = 0; i < k.length; i++) if (b[s + i] !== k[i]) return false;
  return true;
}

/** True when b[s, ...) starts with `k`. */
export function startsWith(b: Uint8Array, s: number, e: number, k: Uint8Array): boolean {
  if (e - s < k.length) return false;
  for (let i = 0; i < k.length; i++) if (b[s + i] !== k[i]) return false;
  return true;
}

/** Parses `%d`/`%u` in b[s, e) into col at row i if it fits int32 (`unsigned` refuses a sign). */
export function putInt(b: Uint8Array, s: number, e: number, col: IntColumn, i: number, unsigned: boolean): boolean {
  if (unsigned && s < e && b[s] === 0x2d) return false;
  const v = parseInt32(b, s, e);
  if (Number.isNaN(v)) return false;
  col.values[i] = v;
  col.valid[i] = 1;
  return true;
}

const NIL = bytesOf('(nil)');

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * Parses a `%p` pointer (`0x` and up to 16 hex digits, or `(nil)` for NULL) into col at row i,
 * as two exact 32-bit words.
 */
export function putPointer(b: Uint8Array, s: number, e: number, col: U64Column, i: number): boolean {
  if (equals(b, s, e, NIL)) {
    col.words[2 * i] = 0;
    col.words[2 * i + 1] = 0;
    col.valid[i] = 1;
    return true;
  }
  if (e - s < 3 || b[s] !== 0x30 || (b[s + 1] !== 0x78 && b[s + 1] !== 0x58)) return false;
  const digits = e - (s + 2);
  if (digits > 16) return false;
  let hi = 0;
  let lo = 0;
  for (let p = s + 2; p < e; p++) {
    const d = hexDigit(b[p]);
    if (d < 0) return false;
    hi = ((hi << 4) | (lo >>> 28)) >>> 0;
    lo = ((lo << 4) | d) >>> 0;
  }
  col.words[2 * i] = lo;
  col.words[2 * i + 1] = hi;
  col.valid[i] = 1;
  return true;
}

/** Index of the next space in b[s, e), or e. */
export function tokenEnd(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] !== 0x20) s++;
  return s;
}

/** Index of `=` in b[s, e), or -1. */
export function indexOfEq(b: Uint8Array, s: number, e: number): number {
  for (let p = s; p < e; p++) if (b[p] === 0x3d) return p;
  return -1;
}
