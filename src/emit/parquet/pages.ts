/**
 * What a column encoder produces for one column chunk (one column of one row group): its data pages (each
 * one incoming chunk slice, uncompressed), its dictionary page, and the statistics for the footer.
 */
import type { Column } from '../../normalise/columns.js';
import { ByteWriter } from './bytes.js';
import { encodeLevels } from './rle.js';

export const enum Encoding {
  Plain = 0,
  Rle = 3,
  DeltaBinaryPacked = 5,
  RleDictionary = 8,
}

export interface Page {
  body: Uint8Array;
  /** Level entries in the page: rows, plus list items beyond the first of each row. */
  numValues: number;
  encoding: Encoding;
}

export interface ChunkResult {
  dictionary: { body: Uint8Array; count: number } | null;
  pages: Page[];
  /** Nulls in the chunk; null when no statistics are kept (list leaves). */
  nullCount: number | null;
  /** PLAIN-encoded min/max for the footer statistics, or null when none are kept for this column. */
  min: Uint8Array | null;
  max: Uint8Array | null;
}

/** One column of a table as the Parquet writer sees it: pages appended per row group, then finished. */
export interface ColumnEncoder {
  /** Encodes rows [from, to) of `col` as one data page. */
  addPage(col: Column, from: number, to: number): void;
  /** The column chunk of the current row group; the encoder is then ready for the next one. */
  finish(): ChunkResult;
}

/** Scratch buffer for page bodies, shared by every encoder of a thread (pages are built one at a time). */
export const pageOut = new ByteWriter(1 << 16);

/** Starts a page body. */
export function startPage(): ByteWriter {
  pageOut.reset();
  return pageOut;
}

/** Definition levels (max level 1) from 0/1 flags, with the 4-byte length prefix of data page v1. */
export function writeDefLevels(out: ByteWriter, valid: Uint8Array, from: number, to: number): void {
  const at = out.len;
  out.u32le(0);
  encodeLevels(out, valid, from, to, 1);
  const n = out.len - at - 4;
  out.buf[at] = n;
  out.buf[at + 1] = n >>> 8;
  out.buf[at + 2] = n >>> 16;
  out.buf[at + 3] = n >>> 24;
}

/** Levels of any max level, length-prefixed. */
export function writeLevels(out: ByteWriter, levels: Uint8Array, n: number, width: number): void {
  const at = out.len;
  out.u32le(0);
  encodeLevels(out, levels, 0, n, width);
  const len = out.len - at - 4;
  out.buf[at] = len;
  out.buf[at + 1] = len >>> 8;
  out.buf[at + 2] = len >>> 16;
  out.buf[at + 3] = len >>> 24;
}

/** `n` levels all equal to `value`: one RLE run, length-prefixed. */
export function writeConstantLevels(out: ByteWriter, value: number, n: number, width: number): void {
  const at = out.len;
  out.u32le(0);
  out.varint(n * 2);
  for (let w = 0; w < width; w += 8) out.byte((value >>> w) & 0xff);
  const len = out.len - at - 4;
  out.buf[at] = len;
  out.buf[at + 1] = len >>> 8;
  out.buf[at + 2] = len >>> 16;
  out.buf[at + 3] = len >>> 24;
}

/** A finished page: the scratch bytes copied out (they are kept until the row group is written). */
export function endPage(out: ByteWriter, numValues: number, encoding: Encoding): Page {
  return { body: out.buf.slice(0, out.len), numValues, encoding };
}

/** Byte-wise unsigned comparison, Parquet's order for UTF8 statistics. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** A required column got a null: the producer broke the schema. */
export class NullInRequiredColumn extends Error {
  constructor(column: string) {
    super(`column ${column}: null in a non-nullable column`);
  }
}
