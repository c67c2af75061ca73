/**
 * Kernel symbols from a /proc/kallsyms text, for %pS/%ps: sorted typed arrays and a binary search, resolved
 * lazily (sorting happens at the first lookup). Follows perf's kallsyms loading: only text, weak, data and bss
 * symbols (T W D B, either case) count, a symbol ends where the next one starts, and of several symbols at one
 * address the one perf's choose_best_symbol prefers is kept.
 */

interface Parsed {
  starts: BigUint64Array;
  names: string[];
}

const KEEP = new Set(['T', 't', 'W', 'w', 'D', 'd', 'B', 'b']);
/** perf gives the last symbol a 4 KiB page past its start (symbols__fixup_end). */
const LAST_SPAN = 4096n;

/** 0: weak, 1: local, 2: global: perf prefers non-weak, then global. */
function rank(type: string): number {
  if (type === 'W' || type === 'w') return 0;
  return type === type.toUpperCase() ? 2 : 1;
}

function underscores(s: string): number {
  let i = 0;
  while (s[i] === '_') i++;
  return i;
}

/** perf's choose_best_symbol for two symbols at the same address: true when b wins. */
function better(aName: string, aType: string, bName: string, bType: string): boolean {
  const ra = rank(aType);
  const rb = rank(bType);
  if (ra !== rb) return rb > ra;
  const ua = underscores(aName);
  const ub = underscores(bName);
  if (ua !== ub) return ub < ua;
  return bName.length > aName.length;
}

export class KernelSymbols {
  private parsed: Parsed | null = null;

  private constructor(
    private readonly text: string,
    /** Added to a recording's addresses' opposite: resolve(a) looks up a - delta. */
    private readonly delta: bigint,
    private readonly shared: { parsed: Parsed | null; textStart: bigint | null | undefined },
  ) {}

  /** From a /proc/kallsyms text. Addresses are taken as they are; see withOffset for another boot's KASLR. */
  static fromKallsyms(text: string): KernelSymbols {
    return new KernelSymbols(text, 0n, { parsed: null, textStart: undefined });
  }

  /**
   * The same symbols for a recording whose kernel was loaded `delta` bytes away from where this kallsyms saw it:
   * delta = (the recording's `[kernel.kallsyms]_text` MMAP start) - (this kallsyms' textStart). perf does the same
   * with the reference symbol (`_text`) it stores in that MMAP record.
   */
  withOffset(delta: bigint): KernelSymbols {
    return new KernelSymbols(this.text, this.delta + delta, this.shared);
  }

  /** The `_text` (else `_stext`) address in this kallsyms, null when it has neither. */
  get textStart(): bigint | null {
    if (this.shared.textStart === undefined) {
      const m =
        /^([0-9a-fA-F]{1,16})\s+\S\s+_text$/m.exec(this.text) ?? /^([0-9a-fA-F]{1,16})\s+\S\s+_stext$/m.exec(this.text);
      this.shared.textStart = m ? BigInt(`0x${m[1]}`) : null;
    }
    return this.shared.textStart;
  }

  private load(): Parsed {
    if (this.shared.parsed) return this.shared.parsed;
    const addrs: bigint[] = [];
    const names: string[] = [];
    const types: string[] = [];
    for (const line of this.text.split('\n')) {
      // "ffffffff81000000 T _text" or "ffffffffc0a01000 t helper\t[module]"
      const sp1 = line.indexOf(' ');
      if (sp1 <= 0 || sp1 > 16) continue;
      const type = line[sp1 + 1];
      if (!KEEP.has(type) || line[sp1 + 2] !== ' ') continue;
      const hex = line.slice(0, sp1);
      if (!/^[0-9a-fA-F]+$/.test(hex)) continue;
      const tab = line.indexOf('\t', sp1 + 3);
      const name = (tab < 0 ? line.slice(sp1 + 3) : line.slice(sp1 + 3, tab)).trim();
      if (!name) continue;
      addrs.push(BigInt(`0x${hex}`));
      names.push(name);
      types.push(type);
    }
    const order = addrs.map((_a, i) => i).sort((x, y) => (addrs[x] < addrs[y] ? -1 : addrs[x] > addrs[y] ? 1 : x - y));
    const outStarts: bigint[] = [];
    const outNames: string[] = [];
    const outTypes: string[] = [];
    for (const i of order) {
      const k = outStarts.length - 1;
      if (k >= 0 && outStarts[k] === addrs[i]) {
        if (better(outNames[k], outTypes[k], names[i], types[i])) {
          outNames[k] = names[i];
          outTypes[k] = types[i];
        }
        continue;
      }
      outStarts.push(addrs[i]);
      outNames.push(names[i]);
      outTypes.push(types[i]);
    }
    const parsed = { starts: BigUint64Array.from(outStarts), names: outNames };
    this.shared.parsed = parsed;
    return parsed;
  }

  /** 'sym+0xoff' as perf prints %pS, or null when no symbol covers the address. */
  resolve(addr: bigint): string | null {
    const { starts, names } = this.parsed ?? (this.parsed = this.load());
    const a = BigInt.asUintN(64, addr - this.delta);
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || a < starts[0]) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= a) lo = mid;
      else hi = mid - 1;
    }
    if (lo === starts.length - 1 && a >= starts[lo] + LAST_SPAN) return null;
    return `${names[lo]}+0x${(a - starts[lo]).toString(16)}`;
  }
}
