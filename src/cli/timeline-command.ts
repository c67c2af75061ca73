import { isDataset } from '../dataset/dataset.js';
import { parseFilterArgs, type FilterArgs } from '../filter/parse.js';
import { inputLabel } from '../input/open.js';
import { filtersNeedATrace } from '../pipeline/correlate-file.js';
import { sizeWarning } from '../timeline/limits.js';
import { parseTimeWindow, WHOLE_TRACE } from '../timeline/window.js';
import { EXIT } from './errors.js';
import { writersLoaded } from './process-handlers.js';
import { stdinAware } from './stdio.js';

export interface TimelineArgs extends FilterArgs {
  input: string;
  output: string;
  source?: string;
  quiet: boolean;
  perf: string;
  viaPerf: boolean;
  kallsyms?: string;
}

export async function runTimeline(a: TimelineArgs): Promise<number> {
  const input = stdinAware(a.input);
  const output = stdinAware(a.output);
  // Checked before the trace is read: a typo in --time should not cost a whole correlation.
  const filter = parseFilterArgs(a);
  // A trace's events are selected before they are matched, as perf script selects them (the other commands do
  // the same); a dataset was matched already: there --time keeps the rows that overlap it, nothing else applies.
  const dataset = input !== '-' && isDataset(input);
  if (dataset && filter !== null && Object.keys(filter).some((k) => k !== 'time')) throw filtersNeedATrace(input);
  const window = dataset && a.time !== undefined ? parseTimeWindow(a.time) : WHOLE_TRACE;
  const warn = (w: string): void => {
    if (!a.quiet) process.stderr.write(`netdev-times: ${w}\n`);
  };
  // Loaded here: the pipeline (and, for a dataset, the table readers) only when a timeline is made.
  const { timelineOf, writeTimeline } = await import('../pipeline/timeline.js');
  const timeline = await timelineOf(input, {
    window,
    filter: dataset ? null : filter,
    source: a.source,
    perf: a.perf,
    viaPerf: a.viaPerf,
    kallsyms: a.kallsyms,
    onWarning: (w) => warn(`${inputLabel(input)}: warning: ${w}`),
  });
  const { counts } = timeline;
  const tooBig = sizeWarning(counts.events);
  if (tooBig !== null) warn(`warning: ${tooBig}`);
  for (const [name, n] of Object.entries(counts.backwards))
    warn(`warning: ${n} ${name} slices not drawn: their end is before their start (time went backwards)`);
  if (counts.extraTracks > 0)
    warn(`note: ${counts.extraTracks} extra tracks hold slices that cross others on their CPU`);
  // On SIGINT/SIGTERM the file being written is removed: its sink is one of abortAllFileSinks'.
  const { abortAllFileSinks } = await import('../formats/byte-sink.js');
  writersLoaded({ abortAllFileSinks, abortAllBatches: () => undefined, stopAllBatches: () => Promise.resolve() });
  const bytes = await writeTimeline(timeline, output, { source: inputLabel(input), generator: 'netdev-times' });
  if (output !== '-') warn(`${output}: ${counts.events} events, ${counts.flows} packet flows, ${bytes} bytes of JSON`);
  return EXIT.ok;
}
