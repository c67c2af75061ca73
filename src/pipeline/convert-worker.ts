/** Worker thread entry of convert-many: converts the inputs it is sent, one at a time. */
import { parentPort } from 'node:worker_threads';
import { NetdevTimesError } from '../core/errors.js';
import { convert, type ConvertOptions } from './convert.js';
import type { WorkerReply } from './convert-many.js';

const port = parentPort;
if (port) {
  port.on('message', (task: ConvertOptions) => {
    convert(task).then(
      ({ manifest }) => port.postMessage({ ok: true, manifest } satisfies WorkerReply),
      (e: unknown) => {
        const reply: WorkerReply =
          e instanceof NetdevTimesError
            ? { ok: false, message: e.message, exitCode: e.exitCode }
            : { ok: false, message: e instanceof Error ? e.message : String(e), exitCode: 70 };
        port.postMessage(reply);
      },
    );
  });
}
