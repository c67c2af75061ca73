/**
 * A timeline stopped while it is written (SIGINT, SIGTERM) leaves no file: neither its temporary one nor a
 * half timeline under its name. Plain JSON and gzip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRACES } from '../helpers/fixtures.js';
import { interruptWhileWriting, listAll, tmp } from './helpers.js';

describe('timeline interrupted', () => {
  let big: string;
  beforeAll(() => {
    big = join(tmp(), 'tcp-bulk.ns.txt');
    execFileSync('sh', ['-c', `xz -dc '${TRACES}tcp-bulk.ns.txt.xz' > '${big}'`]);
  });

  it.each([
    ['SIGINT', 't.json', 130],
    ['SIGTERM', 't.json.gz', 143],
  ] as const)('%s while it writes %s: exit %i, nothing left', async (signal, name, code) => {
    const dir = tmp();
    // Some of the timeline is in the temporary file 100 ms after it appears.
    const {
      code: got,
      stderr,
      sawTemp,
    } = await interruptWhileWriting(['timeline', big, '-o', join(dir, name)], dir, signal, {
      waitMs: 30_000,
      settleMs: 100,
    });
    expect(got).toBe(code);
    expect(sawTemp).toBe(true);
    expect(stderr).toContain(`netdev-times: interrupted (${signal}); no partial output was left`);
    expect(listAll(dir)).toEqual([]);
    expect(existsSync(join(dir, name))).toBe(false);
  });
});
