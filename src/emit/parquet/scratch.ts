/** Per-thread scratch arrays for page encoding: one page is encoded at a time, so they are reused, not reallocated. */
let idx = new Int32Array(1 << 14);
let ids = new Int32Array(1 << 14);
let flags = new Uint8Array(1 << 14);
let levels = new Uint8Array(1 << 14);

const size = (n: number, have: number): number => Math.max(n, have * 2);

/** Row positions of the non-null values of a page. */
export function idxScratch(n: number): Int32Array {
  if (idx.length < n) idx = new Int32Array(size(n, idx.length));
  return idx;
}

/** Dictionary ids of a page's values. */
export function idsScratch(n: number): Int32Array {
  if (ids.length < n) ids = new Int32Array(size(n, ids.length));
  return ids;
}

/** 0/1 validity of a page's rows, for columns that mark null otherwise (id -1, JS null). */
export function flagsScratch(n: number): Uint8Array {
  if (flags.length < n) flags = new Uint8Array(size(n, flags.length));
  return flags;
}

/** Repetition or definition levels of a list page (one entry per row plus one per extra item). */
export function levelsScratch(n: number, which: 0 | 1): Uint8Array {
  if (which === 0) {
    if (levels.length < n) levels = new Uint8Array(size(n, levels.length));
    return levels;
  }
  if (flags.length < n) flags = new Uint8Array(size(n, flags.length));
  return flags;
}
