/**
 * AddressList against a literal model of the reference's lists (insert at index 0, search from the front,
 * delete the match, pop the back past the budget), over random operations with many repeated addresses.
 */
import { describe, expect, it } from 'vitest';
import { AddressIndex } from '../../src/correlate/address-index.js';
import { AddressList } from '../../src/correlate/address-list.js';
import { growI32 } from '../../src/correlate/growable.js';
import { prng } from '../report/golden-helpers.js';

interface Entry {
  lo: number;
  hi: number;
  value: number;
}

describe('AddressList', () => {
  it.each([1, 2, 7, 64])('matches the reference list model with budget %i', (budget) => {
    const rnd = prng(budget);
    const list = new AddressList(budget);
    const model: Entry[] = [];
    let overflow = 0;
    const wrong: string[] = [];
    // Few distinct addresses (and both words varying) so that reuse, deletion in the middle and eviction all happen.
    const pick = (): [number, number] => [(Math.floor(rnd() * 12) * 256) >>> 0, 0xffff8881 + Math.floor(rnd() * 2)];
    for (let step = 0; step < 20000; step++) {
      const [lo, hi] = pick();
      const op = rnd();
      if (op < 0.5) {
        const evicted = list.insert(lo, hi, step);
        model.unshift({ lo, hi, value: step });
        let want = -1;
        if (model.length > budget) {
          want = model.pop()?.value ?? -1;
          overflow++;
        }
        if (evicted !== want) wrong.push(`step ${step}: evicted ${evicted}, want ${want}`);
      } else if (op < 0.9) {
        const i = model.findIndex((e) => e.lo === lo && e.hi === hi);
        const want = i < 0 ? -1 : model[i].value;
        if (i >= 0) model.splice(i, 1);
        const got = list.takeNewest(lo, hi);
        if (got !== want) wrong.push(`step ${step}: took ${got}, want ${want}`);
      } else {
        const e = model.find((x) => x.lo === lo && x.hi === hi);
        if (list.peekNewest(lo, hi) !== (e ? e.value : -1)) wrong.push(`step ${step}: peek`);
      }
      if (list.size !== model.length) wrong.push(`step ${step}: size ${list.size}, want ${model.length}`);
    }
    expect(wrong).toEqual([]);
    expect(list.overflow).toBe(overflow);
    const drained: number[] = [];
    list.drain((v) => drained.push(v));
    expect(drained).toEqual(model.map((e) => e.value).reverse());
    expect(list.size).toBe(0);
  });
});

describe('AddressIndex', () => {
  it('survives growth and backward-shift deletion with colliding probe runs', () => {
    const idx = new AddressIndex(16);
    const model = new Map<string, number>();
    const rnd = prng(3);
    let wrong = 0;
    for (let step = 0; step < 50000; step++) {
      const lo = Math.floor(rnd() * 3000) * 64;
      const hi = 0xffff8880;
      const key = `${lo}`;
      if (rnd() < 0.6) {
        idx.set(lo, hi, step);
        model.set(key, step);
      } else {
        idx.delete(lo, hi);
        model.delete(key);
      }
      if (step % 97 === 0) for (const [k, v] of model) if (idx.get(Number(k), hi) !== v) wrong++;
    }
    expect(wrong).toBe(0);
    expect(idx.size).toBe(model.size);
    expect(idx.get(1, 2)).toBe(-1);
  });
});

describe('growI32', () => {
  it('doubles up to 64k slots, then grows by a quarter, never past max unless more is needed', () => {
    expect(growI32(new Int32Array(1024), 1025).length).toBe(2048);
    expect(growI32(new Int32Array(65536), 65537).length).toBe(81920);
    expect(growI32(new Int32Array(65536), 65537, 0, 65537).length).toBe(65537);
    expect(growI32(new Int32Array(65536), 70000, 0, 65537).length).toBe(70000);
    const kept = new Int32Array(70000).fill(7);
    const grown = growI32(kept, 70001, -1);
    expect([grown[69999], grown[70000], grown[grown.length - 1]]).toEqual([7, -1, -1]);
  });

  it('keeps a full list at its budget + 1 slots', () => {
    const budget = 70000;
    const list = new AddressList(budget);
    for (let i = 0; i < budget + 10; i++) list.insert(i * 64, 0xffff8880, i);
    expect(list.size).toBe(budget);
    expect(list.slots).toBe(budget + 1);
  });
});
