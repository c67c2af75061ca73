/**
 * PERF_RECORD_COMPRESSED payloads: perf record -z writes one zstd stream, flushed at the end of each record,
 * so each record's bytes decompress to whole blocks, but the records inside may run on into the next one
 * (perf keeps the tail in its decompression buffer: session.c, perf_session__process_compressed_event).
 * Node 20's zlib has no zstd: fzstd (pure JS) decodes it.
 */
import { Decompress } from 'fzstd';
import { perfDataError } from './fail.js';

export class ZstdStream {
  private readonly z: Decompress;
  private out: Uint8Array[] = [];

  constructor() {
    this.z = new Decompress((data) => {
      this.out.push(data);
    });
  }

  /** The bytes a record's compressed payload decompresses to (possibly none), in order. */
  push(payload: Uint8Array, offset: number): Uint8Array[] {
    try {
      this.z.push(payload);
    } catch (err) {
      throw perfDataError(
        offset,
        `compressed record does not decompress (zstd: ${err instanceof Error ? err.message : String(err)})`,
      );
    }
    const out = this.out;
    this.out = [];
    return out;
  }
}
