/**
 * perf.data in: `perf script` renders it (perf owns that binary format and its symbol resolution) and we
 * stream its stdout into the text decoder, in the layout with the most information (pid/tid, --ns).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { NetdevTimesError } from './types.js';

export const PERF_SCRIPT_FIELDS = 'comm,pid,tid,cpu,time,event,trace';

function perfMissing(perf: string): NetdevTimesError {
  return new NetdevTimesError(
    `'${perf}' was not found: a perf.data input needs perf (Debian: apt install linux-perf), or give --perf PATH, ` +
      "or convert the text of 'perf script' instead",
    2,
  );
}

/** True when the recording has callchains (perf record -g): then we ask perf script for the frames too. */
export function hasCallchains(path: string, perf: string): boolean {
  const r = spawnSync(perf, ['evlist', '-v', '-i', path], { encoding: 'utf8' });
  if (r.error) throw perfMissing(perf);
  return /\bCALLCHAIN\b/.test(r.stdout);
}

/** The argument list of the perf script run for a recording. */
export function perfScriptArgs(path: string, callchains: boolean): string[] {
  const fields = callchains ? `${PERF_SCRIPT_FIELDS},ip,sym,symoff,dso` : PERF_SCRIPT_FIELDS;
  return ['script', '-i', path, '--ns', '-F', fields];
}

/** Runs perf script on `path`; its stdout errors with perf's own message when perf fails. */
export function perfScriptStream(path: string, perf: string): Readable {
  const args = perfScriptArgs(path, hasCallchains(path, perf));
  const child = spawn(perf, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    if (err.length < 8192) err += d.toString();
  });
  child.on('error', () => child.stdout.destroy(perfMissing(perf)));
  child.on('close', (code, signal) => {
    if (code !== 0 && signal !== 'SIGPIPE') {
      const why = err.split('\n').filter((l) => l && !l.includes('not valid for')).slice(-3).join('; ');
      child.stdout.destroy(new NetdevTimesError(`${path}: perf script failed (exit ${code ?? signal}): ${why}`, 2));
    }
  });
  return child.stdout;
}
