import { spawn } from 'node:child_process';
import { NetdevTimesError } from '../core/errors.js';
import { EVENT_NAMES } from '../normalise/kinds.js';

export interface RecordArgs {
  output: string;
  perf: string;
  callgraph: boolean;
  command: string[];
}

/** `perf record` arguments: system-wide, every event (-c 1), exactly the tracepoints netdev-times reads. */
export function recordArgs(a: Pick<RecordArgs, 'output' | 'callgraph' | 'command'>): string[] {
  const events = EVENT_NAMES.flatMap(([name]) => ['-e', name]);
  return ['record', '-o', a.output, '-a', '-c', '1', ...(a.callgraph ? ['-g'] : []), ...events, '--', ...a.command];
}

const PERMISSION = ['Permission denied', 'perf_event_paranoid', 'Access to performance monitoring', 'No permission'];

export async function runRecord(a: RecordArgs): Promise<number> {
  if (a.command.length === 0)
    throw new NetdevTimesError('record needs a command to run: netdev-times record -- COMMAND', 2);
  const child = spawn(a.perf, recordArgs(a), { stdio: ['inherit', 'inherit', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    process.stderr.write(d);
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', () =>
      reject(
        new NetdevTimesError(
          `'${a.perf}' was not found: install perf (Debian: apt install linux-perf) or give --perf PATH`,
          2,
        ),
      ),
    );
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0 && PERMISSION.some((p) => err.includes(p))) {
    throw new NetdevTimesError(
      'perf may not record system-wide tracepoints here: run as root, or lower /proc/sys/kernel/perf_event_paranoid ' +
        '(-1) and make /sys/kernel/tracing readable',
      1,
    );
  }
  if (code !== 0) throw new NetdevTimesError(`perf record failed (exit ${code})`, 1);
  process.stderr.write(
    `netdev-times: recorded ${a.output}; convert it with: netdev-times convert ${a.output} -o OUTDIR\n`,
  );
  return 0;
}
