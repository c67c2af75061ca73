/** Decimal numbers read straight from bytes: the line header here, and tracepoint fields in normalise. */

export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Parses a signed decimal in b[s, e) that fits int32; NaN when it is not one. */
export function parseInt32(b: Uint8Array, s: number, e: number): number {
  let neg = false;
  if (s < e && b[s] === 0x2d) {
    neg = true;
    s++;
  }
  if (s >= e || e - s > 10) return NaN;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (!isDigit(c)) return NaN;
    v = v * 10 + (c - 0x30);
  }
  if (neg) v = -v;
  return v > 2147483647 || v < -2147483648 ? NaN : v;
}
