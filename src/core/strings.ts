/**
 * Interns byte ranges as small integer ids without building a string per occurrence:
 * a repeated comm or device name costs a hash and a byte compare, not an allocation.
 *
 * Bytes that are not UTF-8. Thread names, device names and payload words are bytes (the kernel checks no
 * encoding), but Arrow and Parquet hold UTF-8 strings. A table's string is the bytes read as UTF-8, with a
 * lossless escape: a backslash is written `\\`, and each byte that is not part of a well-formed UTF-8
 * sequence is written `\xHH` (two lower-case hex digits); every other character is itself. So a name that is
 * valid UTF-8 with no backslash (nearly every name) is unchanged, and the exact bytes always come back
 * (`unescapeBytes`). The report prints those bytes, as perf prints them (`reportText`, `reportBytes`).
 */

import { isUtf8 } from 'node:buffer';

const BACKSLASH = 0x5c;
const HEX = '0123456789abcdef';

/**
 * The length of the well-formed UTF-8 sequence at b[i] (before e), or 0 when b[i] starts none (the
 * Unicode standard's table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF).
 */
function utf8SequenceAt(b: Uint8Array, i: number, e: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < e && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

const utf8 = new TextDecoder('utf-8');
const textEncoder = new TextEncoder();

function isAscii(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] >= 0x80) return false;
  return true;
}

/**
 * The table string of the bytes b[s, e): UTF-8 as is, with `\` for a backslash and `\xHH` for a byte that
 * is not UTF-8 (see above). Pure ASCII with no backslash, the usual case, is one pass and one decode.
 */
export function escapeBytes(b: Uint8Array, s: number, e: number): string {
  let plain = true;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c >= 0x80 || c === BACKSLASH) {
      plain = false;
      break;
    }
  }
  // ASCII read as Latin-1 is itself, and Buffer's Latin-1 slice is twice as fast as a TextDecoder.
  if (plain) return b instanceof Buffer ? b.toString('latin1', s, e) : utf8.decode(b.subarray(s, e));
  let out = '';
  let run = s;
  let i = s;
  while (i < e) {
    const c = b[i];
    const n = c === BACKSLASH ? 0 : utf8SequenceAt(b, i, e);
    if (n > 0) {
      i += n;
      continue;
    }
    if (run < i) out += utf8.decode(b.subarray(run, i));
    out += c === BACKSLASH ? '\\\\' : '\\x' + HEX[c >> 4] + HEX[c & 15];
    i++;
    run = i;
  }
  if (run < e) out += utf8.decode(b.subarray(run, e));
  return out;
}

const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;

/**
 * The string with each escape of escapeBytes undone, one code unit per byte it stands for: a byte that was
 * not UTF-8 becomes U+DC80 + (byte - 0x80), a lone surrogate (Python's `surrogateescape`), which no UTF-8
 * text decodes to. reportBytes writes those back as the bytes. A string with no backslash is itself.
 */
export function reportText(escaped: string): string {
  if (!escaped.includes('\\')) return escaped;
  let out = '';
  for (let i = 0; i < escaped.length; i++) {
    const ch = escaped[i];
    if (ch !== '\\' || i + 1 >= escaped.length) {
      out += ch;
      continue;
    }
    const next = escaped[i + 1];
    if (next === '\\') {
      out += '\\';
      i++;
      continue;
    }
    if (next === 'x' && i + 3 < escaped.length) {
      const hi = hexValue(escaped.charCodeAt(i + 2));
      const lo = hexValue(escaped.charCodeAt(i + 3));
      if (hi >= 0 && lo >= 0) {
        const byte = hi * 16 + lo;
        out += String.fromCharCode(byte < 0x80 ? byte : 0xdc00 + byte);
        i += 3;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/**
 * The bytes of a text reportText made: UTF-8, except that U+DC80..U+DCFF (a byte that was not UTF-8) is that
 * byte again. Text with no surrogate is plain UTF-8 (Buffer.from).
 */
export function reportBytes(text: string): Buffer {
  let lone = false;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u >= 0xdc80 && u <= 0xdcff) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      if (prev < 0xd800 || prev > 0xdbff) {
        lone = true;
        break;
      }
    }
  }
  if (!lone) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u < 0xdc80 || u > 0xdcff) continue;
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue;
    parts.push(Buffer.from(text.slice(run, i), 'utf8'), Buffer.of(u - 0xdc00));
    run = i + 1;
  }
  parts.push(Buffer.from(text.slice(run), 'utf8'));
  return Buffer.concat(parts);
}

/**
 * Byte spans of an arena (kept payloads) as table strings: null when every kept span is UTF-8 with no
 * backslash, which is each span's bytes as they are (one check of the whole region, in C++); else every kept
 * span through escapeBytes (null for the others), for the rare batch with a byte that is not UTF-8.
 */
export function escapedSpans(
  arena: Uint8Array,
  start: Int32Array,
  end: Int32Array,
  valid: Uint8Array,
  n: number,
): (string | null)[] | null {
  let lo = arena.length;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    if (start[i] < lo) lo = start[i];
    if (end[i] > hi) hi = end[i];
  }
  if (hi <= lo) return null;
  const region = arena.subarray(lo, hi);
  if (isUtf8(region) && region.indexOf(BACKSLASH) < 0) return null;
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) out[i] = valid[i] ? escapeBytes(arena, start[i], end[i]) : null;
  return out;
}

/** The exact bytes a table string stands for (escapeBytes undone). */
export function unescapeBytes(escaped: string): Buffer {
  return reportBytes(reportText(escaped));
}

export class StringTable {
  readonly values: string[] = [];
  /** Every key's bytes, back to back (one array: the compare loop stays monomorphic and allocation-free). */
  private keyBytes = new Uint8Array(1024);
  private keyBytesLen = 0;
  private keyStart: Int32Array<ArrayBuffer> = new Int32Array(128);
  private keyLen: Int32Array<ArrayBuffer> = new Int32Array(128);
  private slots: Int32Array = new Int32Array(256).fill(-1);
  private hashes: Int32Array<ArrayBuffer> = new Int32Array(128);
  /** The UTF-8 bytes of values[id] for the ids whose bytes escapeBytes escaped (utf8Of). */
  private readonly escapedUtf8 = new Map<number, Uint8Array>();
  /** The id returned last: consecutive lines often repeat a comm or a device. */
  private last = -1;

  get size(): number {
    return this.values.length;
  }

  /** True when b[start, start + len) is key `id` (compared from the end: names sharing a prefix part sooner). */
  private same(id: number, b: Uint8Array, start: number, len: number): boolean {
    if (this.keyLen[id] !== len) return false;
    const kb = this.keyBytes;
    const ks = this.keyStart[id];
    for (let i = len - 1; i >= 0; i--) if (kb[ks + i] !== b[start + i]) return false;
    return true;
  }

  /**
   * Id of the bytes b[start, end), interning them on first sight. The hash takes every byte (FNV-1a): names
   * that differ only in their middle (`conn-000123-rx`), millions of them, still spread over the slots, so
   * each costs one probe or two, never a walk along a run of equal hashes.
   */
  idOfBytes(b: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const last = this.last;
    if (last >= 0 && this.same(last, b, start, len)) return last;
    let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
    for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= h >>> 13;
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const id = this.slots[slot];
      if (id < 0) break;
      if (this.hashes[id] === h && this.same(id, b, start, len)) {
        this.last = id;
        return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.add(b, start, len, h);
    this.slots[slot] = id;
    if (this.values.length * 2 > this.slots.length) this.rehash();
    this.last = id;
    return id;
  }

  /** Copies the key into the table (never a view of the caller's bytes, which may be reused or moved). */
  private add(b: Uint8Array, start: number, len: number, h: number): number {
    const id = this.values.length;
    if (this.keyBytesLen + len > this.keyBytes.length) {
      const grown = new Uint8Array(Math.max(this.keyBytes.length * 2, this.keyBytesLen + len));
      grown.set(this.keyBytes.subarray(0, this.keyBytesLen));
      this.keyBytes = grown;
    }
    if (id >= this.hashes.length) {
      const n = this.hashes.length * 2;
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const g = new Int32Array(n);
        g.set(a);
        return g;
      };
      this.hashes = grow(this.hashes);
      this.keyStart = grow(this.keyStart);
      this.keyLen = grow(this.keyLen);
    }
    const ks = this.keyBytesLen;
    for (let i = 0; i < len; i++) this.keyBytes[ks + i] = b[start + i];
    this.keyBytesLen += len;
    this.keyStart[id] = ks;
    this.keyLen[id] = len;
    this.hashes[id] = h;
    const value = escapeBytes(this.keyBytes, ks, ks + len);
    this.values.push(value);
    if (value.length !== len || !isAscii(this.keyBytes, ks, ks + len)) {
      const utf8 = textEncoder.encode(value);
      if (utf8.length !== len || !utf8.every((c, i) => c === this.keyBytes[ks + i])) this.escapedUtf8.set(id, utf8);
    }
    return id;
  }

  /** The bytes interned as an id (a view of the table's own copy: do not modify). They may not be UTF-8. */
  bytesOf(id: number): Uint8Array {
    return this.keyBytes.subarray(this.keyStart[id], this.keyStart[id] + this.keyLen[id]);
  }

  /**
   * The UTF-8 bytes of the id's string (values[id]): its bytes (bytesOf) unless escapeBytes escaped some,
   * then the escaped string's (kept for the few ids that have one). What a table's dictionary holds.
   */
  utf8Of(id: number): Uint8Array {
    return this.escapedUtf8.get(id) ?? this.bytesOf(id);
  }

  /**
   * Id of a table string (slow path: options, tests, the correlate stage's fixed names, a dataset read back):
   * the bytes it stands for are interned, so values[id] is s again (escapeBytes of unescapeBytes of s).
   */
  idOf(s: string): number {
    const bytes = s.includes('\\') ? unescapeBytes(s) : textEncoder.encode(s);
    return this.idOfBytes(bytes, 0, bytes.length);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.values.length; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}
