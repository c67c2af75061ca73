/**
 * The timeline's inputs and output: a converted dataset (read back table by table) or a trace correlated in
 * memory, written as trace-event JSON to a file (gzip when it ends in .gz), or to stdout for '-'. A file is
 * written under a temporary name and renamed when complete: an error leaves no half timeline.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { NetdevTimesError } from '../core/errors.js';
import { FileSink } from '../formats/byte-sink.js';
import { datasetSources, isDataset } from '../dataset/dataset.js';
import { inputLabel } from '../input/open.js';
import { TimelineBuilder, type Timeline } from '../timeline/timeline.js';
import { writeTraceJson } from '../timeline/trace-event.js';
import type { TimeWindow } from '../timeline/window.js';
import { correlateFile } from './correlate-file.js';
import type { FilterSpec } from '../filter/index.js';

/** The tables a timeline draws (rx_irq_events is not drawn). */
const TABLES = ['rx_hunks', 'rx_irqs', 'rx_napi_polls', 'rx_packets', 'tx_packets'] as const;

export interface TimelineInputOptions {
  window?: TimeWindow;
  /** Which input of a many-input dataset. */
  source?: string;
  perf?: string;
  viaPerf?: boolean;
  kallsyms?: string;
  /** perf script's filters, applied to a trace's events before they are matched. */
  filter?: FilterSpec | null;
  onWarning?: (warning: string) => void;
}

async function fromDataset(dir: string, builder: TimelineBuilder, source: string | undefined): Promise<string> {
  // Loaded here: reading table files needs apache-arrow and parquet-wasm, which a trace's timeline never loads.
  const { datasetChunks } = await import('../dataset/read-table.js');
  for (const { table, chunk } of datasetChunks(dir, TABLES, source)) builder.push(table, chunk);
  const sources = datasetSources(dir, TABLES[0]);
  return source ?? (sources.length === 1 ? sources[0] : dir);
}

/** The timeline of a dataset folder or a trace (text, .gz/.xz, perf.data or '-'), whichever `path` is. */
export async function timelineOf(path: string, options: TimelineInputOptions = {}): Promise<Timeline> {
  const builder = new TimelineBuilder();
  let label: string;
  if (path !== '-' && isDataset(path)) label = await fromDataset(path, builder, options.source);
  else {
    if (options.source !== undefined)
      throw new NetdevTimesError('--source chooses an input of a dataset folder, not of a trace', 2);
    await correlateFile(path, (table, chunk) => builder.push(table, chunk), {
      perf: options.perf,
      viaPerf: options.viaPerf,
      kallsyms: options.kallsyms,
      filter: options.filter,
      onWarning: options.onWarning,
    });
    label = inputLabel(path);
  }
  return builder.finish(label, options.window);
}

/** Bytes of a timeline file written between two turns of the event loop. */
const YIELD_BYTES = 1 << 20;

/** Writes text with backpressure: waits for 'drain' when the stream's buffer is full. */
function textSink(stream: Writable): (text: string) => Promise<void> {
  return async (text) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
}

/** Writes the timeline to `output` ('-': stdout; `*.gz`: gzip). Returns the bytes written (before gzip). */
export async function writeTimeline(
  timeline: Timeline,
  output: string,
  otherData: Record<string, string>,
): Promise<number> {
  let bytes = 0;
  const counted = (sink: (t: string) => Promise<void>) => async (text: string) => {
    bytes += Buffer.byteLength(text);
    await sink(text);
  };
  if (output === '-') {
    await writeTraceJson(timeline.events, counted(textSink(process.stdout)), otherData);
    return bytes;
  }
  // A FileSink: written under its temporary name, renamed when complete, and removed by the SIGINT/SIGTERM
  // handlers' abortAllFileSinks (the command registers them) if the run is stopped half way.
  let sink: FileSink | null = null;
  let yielded = 0;
  const nextTurn = (): Promise<void> =>
    new Promise((resolve) =>
      setImmediate(() => {
        yielded = sink?.bytes ?? 0;
        resolve();
      }),
    );
  try {
    sink = new FileSink(output);
    const file = sink;
    if (output.endsWith('.gz')) {
      const gzip = createGzip();
      gzip.on('data', (c: Buffer) => {
        try {
          file.write(c);
        } catch (e) {
          gzip.destroy(e instanceof Error ? e : new Error(String(e)));
        }
      });
      const ended = new Promise<void>((resolve, reject) => {
        gzip.once('end', resolve);
        gzip.once('error', reject);
      });
      await writeTraceJson(timeline.events, counted(textSink(gzip)), otherData);
      gzip.end();
      await ended;
    } else {
      await writeTraceJson(
        timeline.events,
        counted((text) => {
          file.write(Buffer.from(text));
          // Written synchronously: a turn of the event loop now and then lets a SIGINT in while it writes.
          return file.bytes - yielded < YIELD_BYTES ? Promise.resolve() : nextTurn();
        }),
        otherData,
      );
    }
    await file.close();
  } catch (e) {
    sink?.abort();
    // The sink's own messages end in the reason, in parentheses: that is what is said.
    const text = e instanceof Error ? e.message : String(e);
    const why = /\(([^()]*)\)$/.exec(text)?.[1] ?? text;
    throw new NetdevTimesError(`${output}: cannot write the timeline (${why})`, 3);
  }
  return bytes;
}
