/**
 * One output folder, one writer: a conversion holds `<out>/.netdev-times.lock` (created with O_EXCL, holding
 * its pid) from before its first file until after its manifest. A second conversion into the folder fails
 * with one line; a lock left by a process that no longer runs (killed with SIGKILL, a crash) is taken over,
 * and that is said on stderr. The lock is removed at the end, on failure, and on exit (signals end the
 * process through process.exit).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { NetdevTimesError } from '../core/errors.js';
import { describeFsError, makeDirs, removeEmptyUpTo } from '../formats/byte-sink.js';

export const LOCK_FILE = '.netdev-times.lock';

/** Exit code of a folder another conversion is writing, as of one that cannot be written. */
const LOCKED_EXIT = 3;

export interface OutputLock {
  readonly path: string;
  release(): void;
}

/** Locks held now, each with the folders its run created (deepest, first created) to remove on exit if empty. */
const held = new Map<string, [string, string] | undefined>();
let exitHookInstalled = false;

/**
 * On exit (a signal's handler ends the process with process.exit): the locks go, then the folders their runs
 * created if that leaves them empty, so an interrupted conversion into a new folder leaves nothing.
 */
function releaseAll(): void {
  for (const [p, made] of held) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
    if (made) removeEmptyUpTo(made[0], made[1]);
  }
  held.clear();
}

/** Errors of a folder nothing can be written into: no writer to keep out; the first file says why it fails. */
const UNWRITABLE = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT']);

/** Whether a process with this pid runs (on this machine); EPERM means it runs as another user. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e instanceof Error && 'code' in e && e.code === 'EPERM';
  }
}

function ownerOf(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

const errCode = (e: unknown): string =>
  e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : String(e);

/**
 * Takes the lock of `outDir` (which exists) or throws a NetdevTimesError naming the conversion holding it.
 * `onNote` hears a stale lock being taken over (stderr by default).
 */
export function lockOutput(
  outDir: string,
  made?: [string, string],
  onNote: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): OutputLock {
  const path = join(outDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if (UNWRITABLE.has(errCode(e))) return { path, release: () => undefined };
      if (errCode(e) !== 'EEXIST')
        throw new NetdevTimesError(`${path}: cannot create the lock file (${describeFsError(e)})`, LOCKED_EXIT);
      const pid = ownerOf(path);
      if (attempt < 2 && pid !== null && pid !== process.pid && !alive(pid)) {
        onNote(`netdev-times: ${outDir}: taking over a stale lock of process ${pid}, which no longer runs`);
        try {
          unlinkSync(path);
        } catch {
          // another run took it over first: the next attempt says so
        }
        continue;
      }
      // A lock being written (no pid yet) counts as held: its writer is starting.
      const who = pid === null ? 'another conversion' : `another conversion (pid ${pid})`;
      throw new NetdevTimesError(
        `${outDir}: ${who} is writing into this folder (${LOCK_FILE}); wait for it, or remove the lock file if that process is gone`,
        LOCKED_EXIT,
      );
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    held.set(path, made);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', releaseAll);
    }
    let released = false;
    return {
      path,
      release: () => {
        if (released) return;
        released = true;
        held.delete(path);
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      },
    };
  }
}

/**
 * Creates the output folder (exit 3 when it cannot be) and takes its lock. `made` is [the folder, the first
 * folder this created], for the caller to remove (when empty) if it fails; undefined when it existed.
 */
export function createAndLock(outDir: string): { lock: OutputLock; made: [string, string] | undefined } {
  let first: string | undefined;
  try {
    first = makeDirs(outDir);
  } catch (e) {
    throw new NetdevTimesError(`${outDir}: cannot create the output folder (${describeFsError(e)})`, 3);
  }
  const made: [string, string] | undefined = first === undefined ? undefined : [outDir, first];
  return { lock: lockOutput(outDir, made), made };
}
