import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { NetdevTimesError } from '../core/errors.js';
import { EVENT_NAMES } from '../normalise/kinds.js';
import { EXIT } from './errors.js';
import { interceptSignals } from './process-handlers.js';

export interface RecordArgs {
  output: string;
  perf: string;
  callgraph: boolean;
  command: string[];
  /** Seconds to record for; without a command, the whole system is recorded that long. */
  duration?: number;
}

/** `perf record` arguments: system-wide, every event (-c 1), exactly the tracepoints netdev-times reads. */
export function recordArgs(a: Pick<RecordArgs, 'output' | 'callgraph' | 'command'>): string[] {
  const events = EVENT_NAMES.flatMap(([name]) => ['-e', name]);
  const command = a.command.length > 0 ? ['--', ...a.command] : [];
  return ['record', '-o', a.output, '-a', '-c', '1', ...(a.callgraph ? ['-g'] : []), ...events, ...command];
}

const PERMISSION = [
  'Permission denied',
  'perf_event_paranoid',
  'Access to performance monitoring',
  'No permission',
  "can't access trace events",
];

/** What perf prints when it has finished writing its file: the recording is complete. */
const CAPTURED = '[ perf record: Captured and wrote';

function paranoid(): string {
  try {
    return readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Runs `perf record` on the netdev-times tracepoints. With a command, perf runs it and `record` exits with the
 * command's exit status; with `--duration`, perf is stopped (SIGINT, as Ctrl-C) after that many seconds.
 * SIGINT or SIGTERM stops perf the same way: it finishes its file, which converts; the exit is then 130 or 143.
 */
export async function runRecord(a: RecordArgs): Promise<number> {
  if (a.duration !== undefined && !(a.duration > 0))
    throw new NetdevTimesError(`--duration must be a number of seconds above 0, not ${a.duration}`, EXIT.usage);
  if (a.command.length === 0 && a.duration === undefined)
    throw new NetdevTimesError(
      'record needs a command to run (netdev-times record -- COMMAND) or --duration SECONDS (the whole system)',
      EXIT.usage,
    );
  const child = spawn(a.perf, recordArgs(a), { stdio: ['inherit', 'inherit', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 1 << 20) err = err.slice(-(1 << 19));
    process.stderr.write(d);
  });
  // Set by the handlers below (a property, so that the compiler does not take it for always null).
  const state: { signalled: 'SIGINT' | 'SIGTERM' | null; timedOut: boolean } = { signalled: null, timedOut: false };
  // perf stops on SIGINT as on Ctrl-C: it stops its workload, writes what it holds and closes the file.
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  interceptSignals((sig) => {
    state.signalled = sig;
    stop();
  });
  const timer =
    a.duration === undefined
      ? undefined
      : setTimeout(() => {
          state.timedOut = true;
          stop();
        }, a.duration * 1000);
  let result: { code: number | null; signal: NodeJS.Signals | null };
  try {
    result = await new Promise((resolve, reject) => {
      child.on('error', () =>
        reject(
          new NetdevTimesError(
            `'${a.perf}' was not found: install perf (Debian: apt install linux-perf) or give --perf PATH`,
            EXIT.usage,
          ),
        ),
      );
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
  } finally {
    clearTimeout(timer);
    interceptSignals(null);
  }
  const captured = err.includes(CAPTURED) && existsSync(a.output);
  if (!captured) {
    if (PERMISSION.some((p) => err.includes(p))) {
      throw new NetdevTimesError(
        `perf may not record system-wide tracepoints here (kernel.perf_event_paranoid is ${paranoid()}): run as ` +
          'root, or as root run `sysctl kernel.perf_event_paranoid=-1` and `mount -o remount,mode=755 ' +
          '/sys/kernel/tracing` (or chmod -R a+rX /sys/kernel/tracing) so that other users may',
        EXIT.badInput,
      );
    }
    const said = err
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('[ perf record'));
    const how = result.signal !== null ? `killed by ${result.signal}` : `exit ${result.code ?? 1}`;
    const why = said.length > 0 ? `: ${said[0]}` : '';
    throw new NetdevTimesError(`perf record failed (${how})${why}`, EXIT.badInput);
  }
  const stopped = state.signalled;
  process.stderr.write(
    `netdev-times: recorded ${a.output}${stopped === null ? '' : ` (stopped by ${stopped})`}; convert it with: ` +
      `netdev-times convert ${a.output} -o OUTDIR\n`,
  );
  if (stopped !== null) return stopped === 'SIGINT' ? EXIT.interrupted : 143;
  // perf exits with its workload's status: the command's, passed through (not a failure of perf).
  return a.command.length > 0 && !state.timedOut ? (result.code ?? 1) : EXIT.ok;
}
