/** Units and identities shared by every stage. Branded so that a count cannot be passed as a time. */

/** Nanoseconds since boot, as perf prints them; exact int64. */
export type Nanoseconds = bigint & { readonly __unit: 'ns' };
/** A kernel `struct sk_buff *`, exact unsigned 64-bit. */
export type SkbAddr = bigint & { readonly __unit: 'skbaddr' };
/** 1-based line number in one input. */
export type LineNo = number & { readonly __unit: 'line' };

export const asNanoseconds = (v: bigint): Nanoseconds => v as Nanoseconds;
export const asSkbAddr = (v: bigint): SkbAddr => v as SkbAddr;
export const asLineNo = (v: number): LineNo => v as LineNo;
