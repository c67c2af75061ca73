/**
 * Nothing half-written: an error in the middle of a conversion, SIGINT and SIGTERM, a disk that fills up and
 * a folder that cannot be written leave the previous dataset as it was (or nothing at all, not even a new
 * folder) and no temporary file; a dataset is not replaced without --force.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRACES } from '../helpers/fixtures.js';
import { readManifest } from '../helpers/json.js';
import {
  BAD,
  canMount,
  cleanError,
  interruptWhileWriting,
  listAll,
  mountTmpfs,
  runCli,
  snapshot,
  tempFiles,
  tmp,
} from './helpers.js';

const SMALL = `${TRACES}older-kernels.txt`;

/** A folder holding a finished dataset of SMALL, and its snapshot. */
async function previous(parent = tmp()): Promise<{ dir: string; before: Record<string, string> }> {
  const dir = join(parent, 'out');
  const r = await runCli(['convert', SMALL, '-o', dir, '-q']);
  expect(r.status).toBe(0);
  return { dir, before: snapshot(dir) };
}

describe('an error in the middle of a conversion', () => {
  it('--strict on a bad line after thousands of good ones: exit 1, file:line: reason, the previous dataset intact', async () => {
    const input = join(tmp(), 'late-bad-line.txt');
    copyFileSync(`${TRACES}eth-npm.txt`, input);
    appendFileSync(input, 'a line that is not an event\n');
    appendFileSync(input, readFileSync(SMALL));
    const { dir, before } = await previous();
    const r = await runCli(['convert', input, '-o', dir, '--force', '--strict']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`netdev-times: ${input}:4843: no [cpu] field after a thread id\n`);
    expect(snapshot(dir)).toEqual(before);
    // And into a new folder: nothing at all is left.
    const fresh = join(tmp(), 'a', 'b');
    expect((await runCli(['convert', input, '-o', fresh, '--strict'])).status).toBe(1);
    expect(existsSync(join(fresh, '..'))).toBe(false);
  });

  it('an xz file cut short (decoded for a while, then xz fails): exit 2, the previous dataset intact', async () => {
    const cut = join(tmp(), 'cut.txt.xz');
    writeFileSync(cut, readFileSync(`${TRACES}tcp-bulk.ns.txt.xz`).subarray(0, 100_000));
    const { dir, before } = await previous();
    const r = await runCli(['convert', cut, '-o', dir, '--force']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^netdev-times: .*cut\.txt\.xz: xz failed: .*(Unexpected end of input|truncated)/);
    expect(cleanError(r.stderr)).toBe(true);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('SIGINT and SIGTERM', () => {
  let big: string;
  beforeAll(() => {
    big = join(tmp(), 'tcp-bulk.ns.txt');
    execFileSync('sh', ['-c', `xz -dc '${TRACES}tcp-bulk.ns.txt.xz' > '${big}'`]);
  });

  /** Starts a conversion of the 63 MB trace, waits until its temporary files exist, then signals it. */
  async function interrupt(
    out: string,
    signal: NodeJS.Signals,
    extra: string[] = [],
  ): Promise<{ code: number | null; stderr: string; sawTemp: boolean }> {
    // Let it write for a moment once they exist: some row groups are in the temporary files by then.
    return interruptWhileWriting(['convert', big, '-o', out, ...extra], out, signal, { waitMs: 10_000, settleMs: 300 });
  }

  // The three runs go at once (each is mostly a child starting up): results are checked one by one below.
  type Run = { code: number | null; stderr: string; sawTemp: boolean; dir: string; before: Record<string, string> };
  const runs = new Map<string, Run>();
  const fresh = tmp();
  beforeAll(async () => {
    const go = async (key: string, signal: NodeJS.Signals, withPrevious: boolean): Promise<void> => {
      const { dir, before } = withPrevious ? await previous() : { dir: join(fresh, 'new', 'out'), before: {} };
      runs.set(key, { ...(await interrupt(dir, signal, withPrevious ? ['--force'] : [])), dir, before });
    };
    await Promise.all([go('SIGINT', 'SIGINT', true), go('SIGTERM', 'SIGTERM', true), go('fresh', 'SIGINT', false)]);
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} with a previous dataset (--force): exit ${code}, the previous dataset intact, no temporary file`, () => {
      const r = runs.get(signal) as Run;
      expect(r.sawTemp).toBe(true);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(`netdev-times: interrupted (${signal}); no partial output was left`);
      expect(tempFiles(r.dir)).toEqual([]);
      expect(snapshot(r.dir)).toEqual(r.before);
    });
  }

  it('SIGINT into a new folder: nothing left, not even the folder', () => {
    const r = runs.get('fresh') as Run;
    expect(r.sawTemp).toBe(true);
    expect(r.code).toBe(130);
    expect(listAll(fresh)).toEqual([]);
  });
});

describe('an existing dataset', () => {
  it('is not replaced without --force (exit 2, nothing touched), and is with it', async () => {
    const { dir, before } = await previous();
    const other = `${BAD}skb-reused.txt`;
    const r = await runCli(['convert', other, '-o', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`netdev-times: ${dir}: already holds a dataset (manifest.json); use --force to replace it\n`);
    expect(snapshot(dir)).toEqual(before);
    expect((await runCli(['convert', other, '-o', dir, '--force', '-q'])).status).toBe(0);
    expect(readManifest(join(dir, 'manifest.json')).inputs[0].lines.events).toBe(15);
  });
});

describe('an output that cannot be written: a clear error, exit 3', () => {
  it('a path under a regular file', async () => {
    const file = join(tmp(), 'file.txt');
    writeFileSync(file, 'x');
    const r = await runCli(['convert', SMALL, '-o', join(file, 'out')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(
      `netdev-times: ${join(file, 'out')}: cannot create the output folder (a file of that name is in the way)\n`,
    );
  });

  it("a folder under /proc (where Node's own recursive mkdir never returns)", async () => {
    const r = await runCli(['convert', SMALL, '-o', '/proc/netdev-times-out']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^netdev-times: \/proc\/netdev-times-out: cannot create the output folder \(.+\)\n$/);
  });

  it.skipIf(process.getuid?.() === 0)('a folder without write permission (chmod 555)', async () => {
    const dir = join(tmp(), 'ro');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    const r = await runCli(['convert', SMALL, '-o', dir]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/cannot write \(permission denied\)/);
    expect(listAll(dir)).toEqual([]);
  });

  // chmod does not stop root: a read-only tmpfs does, where root may mount one.
  it.skipIf(!canMount)('a read-only file system', async () => {
    const m = mountTmpfs('64k', true);
    if (!m) throw new Error('read-only tmpfs mount failed');
    try {
      const r = await runCli(['convert', SMALL, '-o', m.dir]);
      expect(r.status).toBe(3);
      expect(r.stderr).toBe(`netdev-times: ${m.dir}/events.parquet: cannot write (read-only file system)\n`);
      const sub = await runCli(['convert', SMALL, '-o', join(m.dir, 'sub')]);
      expect(sub.status).toBe(3);
      expect(sub.stderr).toBe(
        `netdev-times: ${join(m.dir, 'sub')}: cannot create the output folder (read-only file system)\n`,
      );
    } finally {
      m.unmount();
    }
  });

  // A full disk needs a small file system: a tmpfs, which only root with mount rights can make.
  it.skipIf(!canMount)(
    'a full disk, early or on the very last file: no table, no manifest, the previous dataset intact',
    async () => {
      // The dataset's size in pages (what tmpfs charges), from a conversion to a normal folder.
      const ref = join(tmp(), 'ref');
      expect((await runCli(['convert', `${TRACES}eth-npm.txt`, '-o', ref, '-q'])).status).toBe(0);
      const pages = listAll(ref).reduce((n, p) => n + Math.ceil(statSync(join(ref, p)).size / 4096), 0);
      // 40%: the events table does not fit; one page short: everything but the last file fits.
      for (const size of [Math.floor(pages * 0.4), pages - 1]) {
        const m = mountTmpfs(`${size * 4}k`);
        if (!m) throw new Error('tmpfs mount failed');
        try {
          const out = join(m.dir, 'out');
          const r = await runCli(['convert', `${TRACES}eth-npm.txt`, '-o', out]);
          expect(r.status, `${size} pages`).toBe(3);
          expect(r.stderr).toMatch(/^netdev-times: .*\.(parquet|json): write failed \(no space left on the device\)\n/);
          expect(cleanError(r.stderr)).toBe(true);
          expect(listAll(m.dir), `${size} pages`).toEqual([]);
          // A small dataset fits; replacing it with the big one fails and leaves it as it was.
          if (size < pages - 1) continue;
          expect((await runCli(['convert', SMALL, '-o', out, '-q'])).status).toBe(0);
          const before = snapshot(out);
          expect((await runCli(['convert', `${TRACES}eth-npm.txt`, '-o', out, '--force'])).status).toBe(3);
          expect(snapshot(out)).toEqual(before);
        } finally {
          m.unmount();
        }
      }
    },
  );
});
