/**
 * perf.data in: `perf script` renders it (perf owns that binary format and its symbol resolution) and we
 * stream its stdout into the text decoder, in the layout with the most information (pid/tid, --ns).
 */
import { byteChunk } from '../core/bytes.js';
import { NetdevTimesError } from '../core/errors.js';

export const PERF_SCRIPT_FIELDS = 'comm,pid,tid,cpu,time,event,trace';

function perfMissing(perf: string): NetdevTimesError {
  return new NetdevTimesError(
    `'${perf}' was not found: a perf.data input needs perf (Debian: apt install linux-perf), or give --perf PATH, ` +
      "or convert the text of 'perf script' instead",
    2,
  );
}

type SpawnSync = typeof import('node:child_process').spawnSync;

/** True when the recording has callchains (perf record -g): then we ask perf script for the frames too. */
export function hasCallchains(spawnSync: SpawnSync, path: string, perf: string): boolean {
  const r = spawnSync(perf, ['evlist', '-v', '-i', path], { encoding: 'utf8' });
  if (r.error) throw perfMissing(perf);
  return /\bCALLCHAIN\b/.test(r.stdout);
}

/** The argument list of the perf script run for a recording. */
export function perfScriptArgs(path: string, callchains: boolean): string[] {
  const fields = callchains ? `${PERF_SCRIPT_FIELDS},ip,sym,symoff,dso` : PERF_SCRIPT_FIELDS;
  return ['script', '-i', path, '--ns', '-F', fields];
}

/**
 * Runs perf script on `path`. perf's exit status is known only after its stdout ends, so it is checked then:
 * a failing perf raises its own message instead of ending the input early without a word.
 */
export async function* perfScriptStream(path: string, perf: string): AsyncGenerator<Uint8Array> {
  // Loaded here: only a run through perf needs a child process.
  const { spawn, spawnSync } = await import('node:child_process');
  const args = perfScriptArgs(path, hasCallchains(spawnSync, path, perf));
  const child = spawn(perf, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    if (err.length < 8192) err += d.toString();
  });
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', () => reject(perfMissing(perf)));
    child.on('close', (code) => resolve(code));
  });
  exit.catch(() => undefined);
  try {
    for await (const chunk of child.stdout) {
      yield byteChunk(chunk);
    }
    const code = await exit;
    if (code !== 0) {
      const why = err
        .split('\n')
        .filter((l) => l && !l.includes('not valid for'))
        .slice(-3)
        .join('; ');
      throw new NetdevTimesError(`${path}: perf script failed (exit ${code}): ${why}`, 2);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}
