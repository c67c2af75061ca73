/**
 * A timeline stopped while it is written (SIGINT, SIGTERM) leaves no file: neither its temporary one nor a
 * half timeline under its name. Plain JSON and gzip.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, TRACES } from '../helpers/fixtures.js';
import { listAll, tempFiles, tmp } from './helpers.js';

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
    const child = spawn('node', [BIN, 'timeline', big, '-o', join(dir, name)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    let sawTemp = false;
    for (let k = 0; k < 3000 && !sawTemp; k++) {
      await new Promise((r) => setTimeout(r, 10));
      sawTemp = tempFiles(dir).length > 0;
    }
    // Some of the timeline is in the temporary file by then.
    await new Promise((r) => setTimeout(r, 100));
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(sawTemp).toBe(true);
    expect(stderr).toContain(`netdev-times: interrupted (${signal}); no partial output was left`);
    expect(listAll(dir)).toEqual([]);
    expect(existsSync(join(dir, name))).toBe(false);
  });
});
