/**
 * The content hash of an input: SHA-256 of the file's bytes, streamed (never the whole file in memory).
 * SHA-256 because node:crypto runs it on the CPU's SHA extensions where there are some: measured at about
 * 1 GB/s here (47 MB perf.data in 50 ms, 60 MB text in 50-70 ms), as fast as SHA-1 or BLAKE2 and faster than
 * MD5, without their weaknesses.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

/** The hex SHA-256 of a regular file's bytes; null for anything else (stdin, a pipe, a device). */
export async function fileSha256(path: string): Promise<string | null> {
  if (path === '-') return null;
  try {
    if (!statSync(path).isFile()) return null;
  } catch {
    return null; // the conversion says why it cannot be opened
  }
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      if (chunk instanceof Buffer) hash.update(chunk);
    }
  } catch {
    return null; // unreadable: the conversion reports it
  }
  return hash.digest('hex');
}
