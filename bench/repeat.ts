/**
 * A real trace made N times longer: the text repeated with every copy's timestamps shifted past the end of
 * the previous copy, so the result is one time-ordered recording of N times the events (for the flat-memory
 * check: same peak RSS, about N times the time).
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

const NL = 0x0a;
const RBRACK = 0x5d;
const SP = 0x20;
const DOT = 0x2e;

/** [start, end) of the whole-seconds digits of an event line (after `[cpu] `), or null for other lines. */
function secsField(b: Uint8Array, s: number, e: number): [number, number] | null {
  for (let i = s; i + 1 < e; i++) {
    if (b[i] !== RBRACK || b[i + 1] !== SP) continue;
    let p = i + 1;
    while (p < e && b[p] === SP) p++;
    const d = p;
    while (p < e && b[p] >= 0x30 && b[p] <= 0x39) p++;
    if (p > d && p < e && b[p] === DOT) return [d, p];
  }
  return null;
}

function readSecs(b: Uint8Array, s: number, e: number): number {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + (b[i] - 0x30);
  return v;
}

/** Writes `times` copies of `src` to `dest`; returns the bytes written. */
export function repeatShifted(src: string, dest: string, times: number): number {
  const text = readFileSync(src);
  let first = -1;
  let last = 0;
  for (let s = 0; s < text.length;) {
    let e = text.indexOf(NL, s);
    if (e < 0) e = text.length;
    const f = secsField(text, s, e);
    if (f) {
      const secs = readSecs(text, f[0], f[1]);
      if (first < 0) first = secs;
      last = secs;
    }
    s = e + 1;
  }
  const span = Math.max(1, last - first + 1);
  const fd = openSync(dest, 'w');
  let bytes = 0;
  const out = Buffer.allocUnsafe(1 << 22);
  let len = 0;
  const put = (b: Uint8Array, s: number, e: number): void => {
    if (len + (e - s) > out.length) {
      bytes += writeAll(fd, out, len);
      len = 0;
    }
    out.set(b.subarray(s, e), len);
    len += e - s;
  };
  try {
    for (let k = 0; k < times; k++) {
      for (let s = 0; s < text.length;) {
        let e = text.indexOf(NL, s);
        const end = e < 0 ? text.length : e + 1;
        if (e < 0) e = text.length;
        const f = k === 0 ? null : secsField(text, s, e);
        if (f) {
          // Keep the field's width: perf prints `%5lu`, so leading spaces absorb a longer number.
          let fieldStart = f[0];
          while (fieldStart > s && text[fieldStart - 1] === SP && f[1] - fieldStart < 5) fieldStart--;
          const secs = String(readSecs(text, f[0], f[1]) + k * span).padStart(f[1] - fieldStart);
          put(text, s, fieldStart);
          put(Buffer.from(secs, 'latin1'), 0, secs.length);
          put(text, f[1], end);
        } else {
          put(text, s, end);
        }
        s = end;
      }
    }
    bytes += writeAll(fd, out, len);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

function writeAll(fd: number, b: Uint8Array, n: number): number {
  let off = 0;
  while (off < n) off += writeSync(fd, b, off, n - off);
  return n;
}
