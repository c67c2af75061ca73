import { NetdevTimesError } from '../core/errors.js';
import { EXIT, oneLine } from './errors.js';

/**
 * Typed access to a parsed command line (yargs' argv or the fast path's): the one place where parser output,
 * whose values are whatever the words made of them, becomes a command's typed arguments.
 */
export interface ArgReader {
  string(name: string): string;
  optionalString(name: string): string | undefined;
  strings(name: string): string[];
  boolean(name: string): boolean;
  optionalNumber(name: string): number | undefined;
  /** A whole number >= 1 (`--jobs`), or undefined when not given. */
  optionalCount(name: string): number | undefined;
  /** The words after `--`. */
  trailing(): string[];
}

/**
 * A value of another type than its option's: an option given twice (yargs-parser makes an array of it) or with
 * dots (`--output.x`, an object). The fast path leaves such command lines to yargs; after yargs, a usage error.
 */
export class ArgTypeError extends NetdevTimesError {
  constructor(name: string, value: unknown, expected: string) {
    const why = Array.isArray(value) ? `was given ${value.length} times` : `must be ${expected}`;
    const got = typeof value === 'string' && value !== '' ? `, not '${oneLine(value)}'` : '';
    super(`--${name} ${why}${got} (see netdev-times --help)`, EXIT.usage);
    this.name = 'ArgTypeError';
  }
}

/**
 * An option's string as given: empty is the parsers' answer to an option with no value after it (`-o` last),
 * a usage error rather than a folder or file named ''.
 */
function given(name: string, v: string): string {
  if (v === '') throw new ArgTypeError(name, v, 'given a value');
  return v;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

export function recordReader(argv: Readonly<Record<string, unknown>>): ArgReader {
  const get = (name: string): unknown => (Object.hasOwn(argv, name) ? argv[name] : undefined);
  return {
    string(name) {
      const v = get(name);
      if (typeof v !== 'string') throw new ArgTypeError(name, v, 'a string');
      return given(name, v);
    },
    optionalString(name) {
      const v = get(name);
      if (v !== undefined && typeof v !== 'string') throw new ArgTypeError(name, v, 'a string');
      return v === undefined ? v : given(name, v);
    },
    strings(name) {
      const v = get(name);
      if (!isStrings(v)) throw new ArgTypeError(name, v, 'a list of words');
      return [...v];
    },
    boolean(name) {
      const v = get(name);
      if (typeof v !== 'boolean') throw new ArgTypeError(name, v, 'true or false');
      return v;
    },
    optionalNumber(name) {
      const v = get(name);
      // Present but undefined: the option was the last word, with no value after it (`-j` last).
      if (v === undefined && Object.hasOwn(argv, name)) throw new ArgTypeError(name, '', 'given a value');
      if (v === undefined) return v;
      // yargs-parser makes NaN of a word that is not a number (`-j x`), and of a missing value (`-j` last).
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgTypeError(name, v, 'a number');
      return v;
    },
    optionalCount(name) {
      const v = this.optionalNumber(name);
      if (v !== undefined && (!Number.isInteger(v) || v < 1))
        throw new ArgTypeError(name, String(v), 'a whole number of at least 1');
      return v;
    },
    trailing() {
      const v = get('--');
      // Strings as typed (yargs-parser converts none of them); String() only states their type.
      return Array.isArray(v) ? v.map(String) : [];
    },
  };
}
