/** An input's SHA-256, read through one reused buffer: the same digest as hashing the whole file at once. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSha256 } from '../../src/dataset/content-hash.js';

const CHUNK = 1 << 18;

describe('fileSha256', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ndt-sha-'));

  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 12345])('equals a one-shot hash of %i bytes', async (n) => {
    const bytes = randomBytes(n);
    const path = join(dir, `f${n}`);
    writeFileSync(path, bytes);
    expect(await fileSha256(path)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('is null for stdin, a folder and a missing file', async () => {
    expect(await fileSha256('-')).toBeNull();
    expect(await fileSha256(dir)).toBeNull();
    expect(await fileSha256(join(dir, 'missing'))).toBeNull();
  });
});
