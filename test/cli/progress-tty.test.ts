/**
 * The progress line on a real terminal: tmux runs the CLI in a pane of a fixed size, and the pane is captured
 * while it runs. Every kind of input (plain text, .gz, .xz, .zst, perf.data, stdin from a slowly fed FIFO)
 * shows one line that fits in 80 and in 40 columns, with percent and ETA where the size is known, and nothing
 * of it is left when the run ends. With stderr not a terminal, or with --quiet, nothing is printed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TRACES } from '../helpers/fixtures.js';
import { repeatShifted } from '../../bench/repeat.js';

const CLI = `node --import tsx ${join(ROOT, 'test/cli/cli-from-source.ts')}`;
const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;
// A server of our own: the test never touches another tmux session.
const SOCKET = `ndt-progress-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const END = '__END__';

interface Watched {
  /** Every distinct screen seen while the command ran, and the last one. */
  screens: string[];
  /**
   * The screens first seen 0.6 s or more after the first progress line: the CLI had run for over half a
   * second by its own clock, which starts a redraw period before that line is drawn. (Counted from the pane's
   * start, a slow start-up under CI's load, tsx compiling the sources, took the whole margin.)
   */
  lateScreens: string[];
  last: string;
  status: number;
}

/** Runs `command` in a new pane `width` columns wide and captures the pane every 50 ms until it ends. */
async function watch(name: string, width: number, command: string): Promise<Watched> {
  tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(width),
    '-y',
    '30',
    `cd ${ROOT} && ${command}; echo ${END} $?; sleep 600`,
  );
  const screens = new Set<string>();
  const late = new Set<string>();
  const t0 = Date.now();
  let firstProgress: number | null = null;
  try {
    for (;;) {
      const screen = tmux('capture-pane', '-p', '-t', name);
      const now = Date.now();
      if (firstProgress === null && /: \d+%/.test(screen)) firstProgress = now;
      if (!screens.has(screen) && firstProgress !== null && now - firstProgress >= 600) late.add(screen);
      screens.add(screen);
      const end = screen.match(new RegExp(`${END} (\\d+)`));
      // The last screen with the lines the terminal wrapped joined again (-J): a long path wraps the run's
      // final line in 80 columns, and that line is checked as one.
      if (end)
        return {
          screens: [...screens],
          lateScreens: [...late],
          last: tmux('capture-pane', '-p', '-J', '-t', name),
          status: Number(end[1]),
        };
      if (now - t0 > 100_000) throw new Error(`${name}: no end after 100 s:\n${screen}`);
      await sleep(50);
    }
  } finally {
    tmux('kill-session', '-t', name);
  }
}

/** The progress lines among the screens' lines: `NAME: 42%  ...` or, size unknown, `NAME: 1.2 MB  ...`. */
const progressLines = (w: Watched, label: RegExp): string[] =>
  [...new Set(w.screens.flatMap((s) => s.split('\n')))].filter((l) => label.test(l));

function expectFits(lines: string[], width: number): void {
  for (const l of lines) expect(Array.from(new Intl.Segmenter().segment(l)).length, l).toBeLessThan(width);
}

describe.skipIf(!HAVE_TMUX)('progress on a terminal (tmux; skipped only where tmux is not installed)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ndt-tty-'));
    // tcp-bulk (550k events) in every form: long enough to be watched on a loaded machine. The text three
    // times over, each copy's times after the last's (1.6M events): its summary draws lines well past the
    // ETA's half second on a fast machine too.
    execFileSync('sh', ['-c', `xz -dc ${TRACES}tcp-bulk.ns.txt.xz > ${dir}/one.txt`]);
    repeatShifted(`${dir}/one.txt`, `${dir}/tcp-bulk.ns.txt`, 3);
    execFileSync('sh', [
      '-c',
      `gzip -1 -c ${dir}/tcp-bulk.ns.txt > ${dir}/tcp-bulk.ns.txt.gz && ` +
        `zstd -q -1 -c ${dir}/tcp-bulk.ns.txt > ${dir}/tcp-bulk.ns.txt.zst && xz -dc ${TRACES}tcp-bulk.data.xz > ${dir}/tcp-bulk.data`,
    ]);
  });
  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  it('convert of an .xz in 80 columns: percent of the compressed bytes rising, an ETA, one line, gone at the end', async () => {
    const w = await watch('xz80', 80, `${CLI} convert ${TRACES}tcp-bulk.ns.txt.xz -o ${dir}/out --force`);
    expect(w.status, w.last).toBe(0);
    const lines = progressLines(w, /^tcp-bulk\.ns\.txt\.xz: \d+%/);
    expect(lines.length, w.screens.join('\n----\n')).toBeGreaterThan(1);
    expectFits(lines, 80);
    expect(lines.some((l) => /^tcp-bulk\.ns\.txt\.xz: \d+% {2}ETA \d+(s|m\d\ds) {2}\d/.test(l))).toBe(true);
    // Each screen has at most one progress line: it is redrawn in place, never scrolled.
    for (const s of w.screens) expect(s.split('\n').filter((l) => /: \d+% /.test(l)).length).toBeLessThanOrEqual(1);
    const pcts = w.screens
      .map((s) => /: (\d+)% /.exec(s)?.[1])
      .filter((p) => p !== undefined)
      .map(Number);
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
    // The end: the run's own summary line, where the progress line was, and nothing of the progress.
    expect(w.last).not.toMatch(/\d+% {2}|ETA|events\/s|k\/s/);
    expect(w.last).toMatch(/^netdev-times: \S*tcp-bulk\.ns\.txt\.xz: 547540 events/);
  });

  for (const [kind, file] of [
    ['plain text', 'tcp-bulk.ns.txt'],
    ['.gz', 'tcp-bulk.ns.txt.gz'],
    ['.zst', 'tcp-bulk.ns.txt.zst'],
    ['perf.data', 'tcp-bulk.data'],
  ] as const) {
    it(`summary of ${kind} in 40 columns: the name cut, percent and ETA kept; nothing but the output left`, async () => {
      const w = await watch(`w40-${file.replace(/\W/g, '-')}`, 40, `${CLI} summary ${dir}/${file} > /dev/null`);
      expect(w.status, w.last).toBe(0);
      const lines = progressLines(w, /^tcp-bulk\S*: \d+%/);
      expect(lines.length, w.screens.join('\n----\n')).toBeGreaterThan(0);
      expectFits(lines, 40);
      // The ETA waits for half a second of the run (progress.ts): on a fast machine a run can end before it
      // shows. Every line drawn after that has it, in 40 columns too.
      const late = progressLines({ ...w, screens: w.lateScreens }, /^tcp-bulk\S*: \d+%/);
      for (const l of late) expect(l).toMatch(/: \d+% {2}ETA /);
      // stdout went to /dev/null: the pane holds nothing but the end marker.
      expect(w.last.split('\n').filter((l) => l.trim() !== '')).toEqual([`${END} 0`]);
    });
  }

  it('stdin from a FIFO fed slowly: bytes and events without percent (the size is unknown), then gone', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const feeder = join(dir, 'feed.mjs');
    writeFileSync(
      feeder,
      `import { readFileSync, openSync, writeSync, closeSync } from 'node:fs';
       const text = readFileSync(${JSON.stringify(`${TRACES}mixed.ns.txt`)});
       const fd = openSync(${JSON.stringify(fifo)}, 'w');
       for (let k = 0; k < text.length; k += 65536) {
         writeSync(fd, text.subarray(k, k + 65536));
         await new Promise((r) => setTimeout(r, 60));
       }
       closeSync(fd);`,
    );
    const feed = spawn('node', [feeder], { stdio: 'ignore' });
    const w = await watch('fifo80', 80, `${CLI} summary - < ${fifo} > /dev/null`);
    feed.kill();
    expect(w.status, w.last).toBe(0);
    const lines = progressLines(w, /^<stdin>: /);
    expect(lines.length, w.screens.join('\n----\n')).toBeGreaterThan(1);
    expectFits(lines, 80);
    for (const l of lines) expect(l).toMatch(/^<stdin>: \d+\.\d (kB|MB)( {2}\S+ events {2}\S+\/s)?$/);
    // The bytes rise as the FIFO is fed, before the first batch of events is decoded.
    expect(lines.filter((l) => /^<stdin>: [\d.]+ (kB|MB)$/.test(l)).length).toBeGreaterThan(1);
    expect(lines.some((l) => /%|ETA/.test(l))).toBe(false);
    expect(w.last.split('\n').filter((l) => l.trim() !== '')).toEqual([`${END} 0`]);
  });

  it('--quiet on a terminal: nothing on the screen, ever', async () => {
    const w = await watch('quiet', 80, `${CLI} summary ${dir}/tcp-bulk.ns.txt -q > /dev/null`);
    expect(w.status).toBe(0);
    for (const s of w.screens) expect(s.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(END))).toEqual([]);
  });

  it('stderr not a terminal: no progress (summary prints nothing on stderr; convert only its summary line)', () => {
    const summary = spawnSync('sh', ['-c', `${CLI} summary ${dir}/tcp-bulk.ns.txt.gz`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(summary.status, summary.stderr).toBe(0);
    expect(summary.stderr).toBe('');
    const convert = spawnSync('sh', ['-c', `${CLI} convert ${TRACES}udp-drop.data.zst -o ${dir}/out2`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(convert.status, convert.stderr).toBe(0);
    expect(convert.stderr).toMatch(/^netdev-times: \S+udp-drop\.data\.zst: \d+ events, [^\r]*\n$/);
    expect(convert.stderr).not.toMatch(/\p{Cc}(?<!\n)/u);
  });
});
