/**
 * A SHA-256 the caller already has (append hashes every new input to skip the ones a dataset holds) is what
 * the conversion records: the input is not read a second time to hash it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertMany } from '../../src/pipeline/convert-many.js';
import { TRACES } from '../helpers/fixtures.js';

describe('known SHA-256s', () => {
  it('are recorded as given; without them, the input is hashed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndt-hash-'));
    const a = `${TRACES}eth-npm.ns.txt`;
    const b = `${TRACES}udp-drop.ns.txt`;
    // Made up for a: had it been hashed again, the manifest would hold the file's own.
    const given = 'ab'.repeat(32);
    const { manifest } = await convertMany({ inputs: [a, b], outDir: join(dir, 'ds'), knownSha256: { [a]: given } });
    const own = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(manifest.inputs.map((i) => [i.path.endsWith('eth-npm.ns.txt'), i.sha256])).toEqual([
      [true, given],
      [false, own(b)],
    ]);
  });
});
