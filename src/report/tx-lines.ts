import { growI32, growU8 } from '../correlate/growable.js';
import { msec, pad, secsDotUsecs, signedNs } from './py-format.js';

const ABSENT = 0;
const SHOWN = 1;
const HIDDEN = 2;

/**
 * The transmit chart's lines, kept by report_order until the end (the reference prints them after every hunk):
 * their values in typed arrays, each line formatted when it is printed. Kept as strings, tcp-bulk's 7,700
 * lines lived through scavenge after scavenge and cost a third of its report's GC time; a trace with millions
 * of transmitted packets would have held millions of strings.
 */
export class TxLines {
  /** ABSENT until a row of that report_order is seen; HIDDEN when dev= hides its line. */
  private state = new Uint8Array(0);
  private dev = new Int32Array(0);
  private len = new Int32Array(0);
  /** Per line six words: the queue time, the Qdisc latency and the device latency, each as (low, high) bits. */
  private words = new Int32Array(0);
  /** The device names lines print, by their index in `dev`. */
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  /** One past the highest report_order seen: the lines to print. */
  count = 0;

  /** The row of report_order k: its line shows device `dev`, its length and its three times (words). */
  add(
    k: number,
    dev: string,
    len: number,
    queue: Uint32Array,
    qdisc: Uint32Array,
    device: Uint32Array,
    r: number,
  ): void {
    this.reserve(k);
    this.state[k] = SHOWN;
    let id = this.nameIds.get(dev);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(dev);
      this.nameIds.set(dev, id);
    }
    this.dev[k] = id;
    this.len[k] = len;
    const w = this.words;
    w[6 * k] = queue[2 * r];
    w[6 * k + 1] = queue[2 * r + 1];
    w[6 * k + 2] = qdisc[2 * r];
    w[6 * k + 3] = qdisc[2 * r + 1];
    w[6 * k + 4] = device[2 * r];
    w[6 * k + 5] = device[2 * r + 1];
  }

  /** The row of report_order k, whose line is not printed (dev= hides it). */
  hide(k: number): void {
    this.reserve(k);
    this.state[k] = HIDDEN;
  }

  /** Line k as the reference prints it; null when hidden, undefined when no row had report_order k. */
  line(k: number): string | null | undefined {
    const s = this.state[k];
    if (s === ABSENT) return undefined;
    if (s === HIDDEN) return null;
    const w = this.words;
    // `%6d.%06d`: the micro part is always 7 characters, so padding the whole to 13 pads the seconds to 6.
    return (
      `${pad(this.names[this.dev[k]], 7)} ${pad(this.len[k], 5)} ${pad(secsDotUsecs(w[6 * k] >>> 0, w[6 * k + 1] >>> 0), 13)}sec ` +
      `${pad(msec(signedNs(w[6 * k + 2] >>> 0, w[6 * k + 3])), 12)}msec      ${pad(msec(signedNs(w[6 * k + 4] >>> 0, w[6 * k + 5])), 12)}msec`
    );
  }

  private reserve(k: number): void {
    if (k >= this.count) this.count = k + 1;
    this.state = growU8(this.state, k + 1);
    this.dev = growI32(this.dev, k + 1);
    this.len = growI32(this.len, k + 1);
    this.words = growI32(this.words, 6 * (k + 1));
  }
}
