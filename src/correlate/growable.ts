/**
 * Typed-array growth for the record pools: geometric, so a pool's cost stays amortised O(1). Pools double
 * up to 64k records, then grow by a quarter: the pools behind a list that reaches its budget of 65536 (a
 * long trace) then hold ~82k slots, not 98k at +50% nor 131k at x2 (tcp-bulk x10 holds two such lists, with
 * ~35 MB of state at x2). `max`, when a pool can never need more (a list's budget), caps the growth there.
 */
function capacityFor(have: number, need: number, max = Infinity): number {
  return Math.max(need, Math.min(have < 1 << 16 ? have * 2 : have + (have >> 2), max), 64);
}

export function growI32(a: Int32Array<ArrayBuffer>, n: number, fill = 0, max = Infinity): Int32Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Int32Array(capacityFor(a.length, n, max));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** Room for n int64 word pairs (2n words), in step with growI32 and growU8 (the same record capacity). */
export function growPairs(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (a.length >= 2 * n) return a;
  const b = new Int32Array(2 * capacityFor(a.length >> 1, n));
  b.set(a);
  return b;
}

export function growU8(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Uint8Array(capacityFor(a.length, n));
  b.set(a);
  return b;
}

/**
 * Hands out small integer ids for records kept in struct-of-arrays pools, reusing freed ids so the
 * arrays stay as large as the most records alive at once (bounded by the budgets), not the trace.
 * Freed ids wait on a typed-array stack: no boxed array elements, no allocation once it has grown.
 */
export class IdAllocator {
  private free = new Int32Array(0);
  private top = 0;
  private next = 0;
  /** Records currently allocated. */
  live = 0;

  constructor() {
    // Stored a second time here: V8 takes a field written once for a constant, and the stack's first growth,
    // well into a trace, then threw away every optimised function that reads it (most of the correlator).
    this.free = new Int32Array(64);
  }

  /** A fresh id; `capacity` must then cover `id + 1`. */
  alloc(): number {
    this.live++;
    if (this.top > 0) return this.free[--this.top];
    return this.next++;
  }

  release(id: number): void {
    this.live--;
    if (this.top === this.free.length) this.free = growI32(this.free, this.top + 1);
    this.free[this.top++] = id;
  }

  /** One past the highest id ever handed out: the size the pool's arrays need. */
  get highWater(): number {
    return this.next;
  }
}
