/** The bench finds what it runs: the CLI and the fixtures, from the folder it lives in (bench/, not the package). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../../bench/inputs.js';
import { ROOT as TEST_ROOT } from '../helpers/fixtures.js';

describe('bench inputs', () => {
  it('ROOT is the project folder, with the CLI and the tcp-bulk fixtures', () => {
    expect(join(ROOT)).toBe(join(TEST_ROOT));
    expect(existsSync(join(ROOT, 'bin/netdev-times.js'))).toBe(true);
    expect(existsSync(join(FIXTURES, 'tcp-bulk.data.xz'))).toBe(true);
    expect(existsSync(join(FIXTURES, 'tcp-bulk.ns.txt.xz'))).toBe(true);
  });
});
