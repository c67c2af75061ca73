import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/core/strings.js';

describe('StringTable', () => {
  it('gives one stable id per distinct byte string, through many rehashes', () => {
    const t = new StringTable();
    const enc = new TextEncoder();
    const names = Array.from({ length: 5000 }, (_, k) => (k % 7 === 0 ? `kworker/${k % 4}:${k}-ev` : `comm ${k}`));
    names.push('', ':-1', 'npm view left-p', 'café ☕');
    const ids = names.map((n) => t.idOf(n));
    expect(ids).toEqual(names.map((_, k) => k));
    expect(t.size).toBe(names.length);
    expect(t.values).toEqual(names);
    // Again, from bytes inside a bigger buffer: the same ids, nothing added.
    for (const [k, n] of names.entries()) {
      const bytes = enc.encode(`xx${n}yy`);
      expect(t.idOfBytes(bytes, 2, bytes.length - 2)).toBe(k);
    }
    expect(t.size).toBe(names.length);
  });

  it('keeps its own copy of the bytes', () => {
    const t = new StringTable();
    const b = new TextEncoder().encode('eth0');
    const id = t.idOfBytes(b, 0, 4);
    b[3] = 0x31;
    expect(t.values[id]).toBe('eth0');
    expect(t.idOfBytes(new TextEncoder().encode('eth0'), 0, 4)).toBe(id);
    expect(t.idOfBytes(b, 0, 4)).toBe(1);
  });
});
