/**
 * perf_event_attr as perf.data stores it, and the layout facts a sample of it has (where the id is, how long
 * its sample_id trailer is). Attrs of any `size` are read: the fields past the ones known stay unread.
 */
import { perfDataError } from './fail.js';
import {
  F_GROUP,
  F_ID,
  F_LOST,
  F_TOTAL_TIME_ENABLED,
  F_TOTAL_TIME_RUNNING,
  S_ADDR,
  S_CPU,
  S_ID,
  S_IDENTIFIER,
  S_IP,
  S_STREAM_ID,
  S_TID,
  S_TIME,
} from './constants.js';

export interface EventAttr {
  type: number;
  size: number;
  config: bigint;
  /** sample_type's low 32 bits (every bit perf defines is below 2^25). */
  sampleType: number;
  readFormat: number;
  sampleIdAll: boolean;
  branchSampleType: number;
  /** Bits set in sample_regs_user / sample_regs_intr: the register words of a sample. */
  regsUserCount: number;
  regsIntrCount: number;
  /** The event's ids (from the attrs section, HEADER_ATTR or ID_INDEX). */
  ids: bigint[];
  /** perf's name for it (event desc), filled when known. */
  name: string | null;
}

/** The size perf used before attr.size existed (PERF_ATTR_SIZE_VER0). */
const ATTR_SIZE_VER0 = 64;
/** Offsets of the fields read; a field past `size` reads as 0. */
const OFF_BRANCH_SAMPLE_TYPE = 72;
const OFF_REGS_USER = 80;
const OFF_REGS_INTR = 96;

/** Reads the attr at b[off, off + avail). */
export function parseAttr(v: DataView, off: number, avail: number, le: boolean): EventAttr {
  if (avail < ATTR_SIZE_VER0) throw perfDataError(off, `event attr of ${avail} bytes, less than ${ATTR_SIZE_VER0}`);
  let size = v.getUint32(off + 4, le);
  if (size === 0) size = ATTR_SIZE_VER0;
  if (size < ATTR_SIZE_VER0 || size > avail)
    throw perfDataError(off, `event attr size ${size} does not fit its ${avail} bytes`);
  const u64 = (at: number): bigint => (at + 8 <= size ? v.getBigUint64(off + at, le) : 0n);
  const flags = u64(40);
  return {
    type: v.getUint32(off, le),
    size,
    config: u64(8),
    sampleType: lowWord(u64(24)),
    readFormat: lowWord(u64(32)),
    sampleIdAll: ((flags >> 18n) & 1n) === 1n,
    branchSampleType: lowWord(u64(OFF_BRANCH_SAMPLE_TYPE)),
    regsUserCount: popcount64(u64(OFF_REGS_USER)),
    regsIntrCount: popcount64(u64(OFF_REGS_INTR)),
    ids: [],
    name: null,
  };
}

const lowWord = (x: bigint): number => Number(x & 0xffffffffn);

function popcount64(x: bigint): number {
  return popcount32(Number(x & 0xffffffffn)) + popcount32(Number(x >> 32n));
}

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export const bitCount = popcount32;

/** Bytes of the sample_id trailer a non-sample record carries when sample_id_all is set. */
export function sampleIdSize(sampleType: number): number {
  return 8 * bitCount(sampleType & (S_TID | S_TIME | S_ID | S_STREAM_ID | S_CPU | S_IDENTIFIER));
}

/** Word index of the id in a sample (perf's id_pos), -1 when it has none. */
export function idPos(sampleType: number): number {
  if (sampleType & S_IDENTIFIER) return 0;
  if (!(sampleType & S_ID)) return -1;
  return bitCount(sampleType & (S_IP | S_TID | S_TIME | S_ADDR));
}

/** Word index of the id counted back from a non-sample record's end (perf's is_pos), -1 when none. */
export function isPos(sampleType: number): number {
  if (sampleType & S_IDENTIFIER) return 1;
  if (!(sampleType & S_ID)) return -1;
  return 1 + bitCount(sampleType & (S_CPU | S_STREAM_ID));
}

/** Words of a PERF_SAMPLE_READ value, -1 for a group (its length is in the sample). */
export function readWords(readFormat: number): number {
  if (readFormat & F_GROUP) return -1;
  return 1 + bitCount(readFormat & (F_TOTAL_TIME_ENABLED | F_TOTAL_TIME_RUNNING | F_ID | F_LOST));
}

/** Words of a group read's head (nr, times) and of each of its entries. */
export function groupReadWords(readFormat: number): { head: number; entry: number } {
  return {
    head: 1 + bitCount(readFormat & (F_TOTAL_TIME_ENABLED | F_TOTAL_TIME_RUNNING)),
    entry: 1 + bitCount(readFormat & (F_ID | F_LOST)),
  };
}
