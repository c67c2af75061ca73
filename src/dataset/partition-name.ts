/**
 * Partition names of a many-input dataset (`<table>/source=<name>/`): valid on every file system.
 * A name is the input's file name (compression suffix dropped) with every byte a file system or a hive
 * reader could mistake replaced by `_` (path separators, `=`, `%`, control bytes, the characters Windows
 * refuses, a leading `.`, a trailing `.` or space, a device name like `con`), cut to fit 255 bytes with a
 * hash of the whole path, and made unique without regard to case (`-2`, `-3`, ...). The manifest maps each
 * name back to its input.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { PARTITION_PREFIX } from './layout.js';

/** The bytes of a folder name on common file systems (ext4, XFS, APFS, NTFS in UTF-16 units, fewer). */
const MAX_NAME_BYTES = 255;
/** Room kept for a `-N` that makes a name unique. */
const SUFFIX_ROOM = 8;
const COMPRESSED = ['.xz', '.gz', '.zst'];
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** `s` cut to at most `max` UTF-8 bytes, on a code point. */
function cutTo(s: string, max: number): string {
  let out = '';
  let n = 0;
  for (const ch of s) {
    const b = bytes(ch);
    if (n + b > max) break;
    out += ch;
    n += b;
  }
  return out;
}

/** The escaped, bounded partition value of one input (before it is made unique). */
export function partitionValue(input: string): string {
  let name = input === '-' ? 'stdin' : basename(input);
  for (const ext of COMPRESSED) if (name.endsWith(ext) && name.length > ext.length) name = name.slice(0, -ext.length);
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001f\u007f/\\=%:*?"<>|\s\ufffd]/g, '_');
  name = name.replace(/^\./, '_').replace(/[. ]$/, '_');
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (name === '') name = 'input';
  const budget = MAX_NAME_BYTES - bytes(PARTITION_PREFIX) - SUFFIX_ROOM;
  if (bytes(name) > budget) {
    const hash = createHash('sha256').update(input).digest('hex').slice(0, 12);
    name = `${cutTo(name, budget - hash.length - 1)}~${hash}`;
  }
  return name;
}

/**
 * `base`, or `base-2`, `base-3`, ... : the first not in `taken` (lower-cased names: case-insensitive file
 * systems would merge two names that differ in case only), which it is then added to.
 */
export function uniqueValue(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/** One partition value per input, each valid, at most 255 bytes with `source=`, unique (case-insensitively). */
export function partitionValues(inputs: readonly string[], taken = new Set<string>()): string[] {
  return inputs.map((p) => uniqueValue(partitionValue(p), taken));
}
