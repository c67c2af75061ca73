/**
 * The kernel this machine runs, as far as symbols go: its release, its build id (the GNU build-id note in
 * /sys/kernel/notes) and its /proc/kallsyms, or a kallsyms file given by the user.
 */
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { NetdevTimesError } from '../core/errors.js';

export interface RunningKernel {
  release: string;
  /** Hex digits; null where /sys/kernel/notes cannot be read. */
  buildId: string | null;
}

const NT_GNU_BUILD_ID = 3;

/** The GNU build id among ELF notes (4-byte aligned namesz, descsz, type, name, desc). */
export function buildIdOfNotes(notes: Uint8Array): string | null {
  const v = new DataView(notes.buffer, notes.byteOffset, notes.byteLength);
  const align = (n: number): number => (n + 3) & ~3;
  for (let p = 0; p + 12 <= notes.length;) {
    const nameSize = v.getUint32(p, true);
    const descSize = v.getUint32(p + 4, true);
    const type = v.getUint32(p + 8, true);
    const name = p + 12;
    const desc = name + align(nameSize);
    if (desc + descSize > notes.length) return null;
    if (
      type === NT_GNU_BUILD_ID &&
      nameSize === 4 &&
      notes[name] === 0x47 &&
      notes[name + 1] === 0x4e &&
      notes[name + 2] === 0x55
    ) {
      return Buffer.from(notes.subarray(desc, desc + descSize)).toString('hex');
    }
    p = desc + align(descSize);
  }
  return null;
}

export function runningKernel(): RunningKernel {
  let buildId: string | null = null;
  try {
    buildId = buildIdOfNotes(readFileSync('/sys/kernel/notes'));
  } catch {
    // not Linux, or no sysfs: the release alone decides
  }
  return { release: release(), buildId };
}

/** A kallsyms text the user named (--kallsyms): unreadable is a usage error. */
export function readKallsyms(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : 'unreadable';
    throw new NetdevTimesError(`${path}: cannot read the kallsyms file (${code})`, 2);
  }
}

/** This machine's /proc/kallsyms, or null when it hides its addresses (kptr_restrict: all zero) or cannot be read. */
export function procKallsyms(): string | null {
  let text: string;
  try {
    text = readFileSync('/proc/kallsyms', 'latin1');
  } catch {
    return null;
  }
  return text.startsWith('0000000000000000 ') ? null : text;
}
