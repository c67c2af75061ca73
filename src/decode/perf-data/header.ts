/**
 * The perf.data header (tools/perf/util/header.h, perf_file_header): `PERFILE2` in the writer's byte order,
 * then the header's size, which tells file mode (104 bytes, sections after it) from pipe mode (16 bytes,
 * everything else arrives as records).
 */
import { perfDataError } from './fail.js';
import { FEAT_BITS, FILE_HEADER_SIZE, PIPE_HEADER_SIZE } from './constants.js';

/** "PERFILE2" read as a little-endian u64 is this; read from a big-endian file it comes out byte-swapped. */
const MAGIC_LE = 0x32454c4946524550n;
const MAGIC_BE = 0x50455246494c4532n;
/** The first perf.data format ("PERFFILE"), long gone. */
const MAGIC_V1 = 0x454c494646524550n;

export interface Section {
  offset: number;
  size: number;
}

export interface FileHeader {
  le: boolean;
  pipe: boolean;
  /** File mode only: */
  attrSize: number;
  attrs: Section;
  data: Section;
  /** Feature bits set, ascending. */
  features: number[];
}

/** Reads the header from b (at least 16 bytes; 104 for file mode). */
export function parseHeader(b: Uint8Array): FileHeader {
  if (b.length < PIPE_HEADER_SIZE) throw perfDataError(b.length, 'input ends inside the perf.data header');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = v.getBigUint64(0, true);
  let le: boolean;
  if (magic === MAGIC_LE) le = true;
  else if (magic === MAGIC_BE) le = false;
  else if (magic === MAGIC_V1)
    throw perfDataError(
      0,
      'a perf.data of the first format (PERFFILE), which perf has not written since 2.6.x; not supported',
    );
  else throw perfDataError(0, 'not a perf.data file (no PERFILE2 magic)');
  const size = Number(v.getBigUint64(8, le));
  if (size === PIPE_HEADER_SIZE)
    return { le, pipe: true, attrSize: 0, attrs: { offset: 0, size: 0 }, data: { offset: 0, size: 0 }, features: [] };
  if (size !== FILE_HEADER_SIZE)
    throw perfDataError(8, `perf.data header size ${size}, neither 104 (file) nor 16 (pipe)`);
  if (b.length < FILE_HEADER_SIZE) throw perfDataError(b.length, 'input ends inside the perf.data header');
  const section = (at: number): Section => ({
    offset: safeNumber(v.getBigUint64(at, le), at),
    size: safeNumber(v.getBigUint64(at + 8, le), at + 8),
  });
  const features: number[] = [];
  for (let w = 0; w < FEAT_BITS / 64; w++) {
    const word = v.getBigUint64(72 + w * 8, le);
    for (let bit = 0; bit < 64; bit++) if ((word >> BigInt(bit)) & 1n) features.push(w * 64 + bit);
  }
  return {
    le,
    pipe: false,
    attrSize: safeNumber(v.getBigUint64(16, le), 16),
    attrs: section(24),
    data: section(40),
    features,
  };
}

function safeNumber(x: bigint, at: number): number {
  if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw perfDataError(at, `header field ${x} is not a file offset or size`);
  return Number(x);
}
