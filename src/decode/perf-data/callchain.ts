/**
 * Callchain frames as `perf script -F ip,sym,symoff,dso` prints them (evsel_fprintf.c,
 * sample__fprintf_callchain), without symbol tables of user binaries: `<addr> <sym+0xoff | [unknown]> (<dso>)`.
 * User addresses print as their offset in the mapped file (perf: "binary offset for userspace addr"), kernel
 * and unmapped ones as they are; anonymous executable memory is perf's `/tmp/perf-<pid>.map`.
 */
import type { KernelSymbols } from './tracing-contract.js';
import { CONTEXT_HV, CONTEXT_KERNEL, CONTEXT_MAX, CONTEXT_USER, MISC_KERNEL } from './constants.js';

/** perf script's callchain depth (scripting_max_stack = PERF_MAX_STACK_DEPTH). */
const MAX_STACK = 127;

interface MapEntry {
  start: bigint;
  end: bigint;
  pgoff: bigint;
  name: string;
  /** Anonymous and no-dso memory: addresses print unchanged (perf's identity__map_ip). */
  identity: boolean;
}

const MODE_USER = 2;
const MODE_KERNEL = 1;
const MODE_HV = 3;

export class Callchains {
  /** Process (pid) -> its maps, newest last: the newest map holding an address is the one perf has there. */
  private readonly maps = new Map<number, MapEntry[]>();
  private kernel: MapEntry | null = null;
  private readonly kernelFrames = new Map<bigint, string>();
  symbols: KernelSymbols | null = null;

  /** MMAP / MMAP2 of process pid (-1: the kernel's). */
  addMap(pid: number, misc: number, start: bigint, len: bigint, pgoff: bigint, filename: string, exec: boolean): void {
    if ((misc & 7) === MISC_KERNEL || pid === -1) {
      // The kernel text mapping names the kernel map; module maps are not resolved (see report).
      if (filename.startsWith('[kernel.kallsyms]'))
        this.kernel = { start, end: start + len, pgoff, name: '[kernel.kallsyms]', identity: true };
      return;
    }
    const anon = filename === '//anon' || filename.startsWith('/dev/zero') || filename.startsWith('/anon_hugepage');
    const noDso = filename.startsWith('[stack') || filename.startsWith('/SYSV') || filename === '[heap]';
    let name = filename;
    if ((anon || noDso) && exec) name = `/tmp/perf-${pid}.map`;
    let list = this.maps.get(pid);
    if (!list) {
      list = [];
      this.maps.set(pid, list);
    }
    list.push({ start, end: start + len, pgoff, name, identity: anon || noDso });
  }

  /** FORK of a new process: it starts with a copy of its parent's maps (threads of one process share them). */
  fork(pid: number, ppid: number): void {
    if (pid === ppid) return;
    const parent = this.maps.get(ppid);
    this.maps.set(pid, parent ? parent.slice() : []);
  }

  /** Appends the frames of the callchain words [at, at + 8 * nr) of a sample of process pid to out. */
  frames(v: DataView, at: number, nr: number, le: boolean, pid: number, out: string[]): void {
    let mode = MODE_USER;
    let entries = 0;
    for (let i = 0; i < nr && entries < MAX_STACK; i++) {
      const ip = v.getBigUint64(at + i * 8, le);
      if (ip >= CONTEXT_MAX) {
        if (ip === CONTEXT_KERNEL) mode = MODE_KERNEL;
        else if (ip === CONTEXT_USER) mode = MODE_USER;
        else if (ip === CONTEXT_HV) mode = MODE_HV;
        else {
          // perf drops the whole chain at a context it does not know (add_callchain_ip resets the cursor).
          out.length -= entries;
          return;
        }
        continue;
      }
      entries++;
      out.push(mode === MODE_KERNEL ? this.kernelFrame(ip) : this.userFrame(ip, pid, mode));
    }
  }

  private kernelFrame(ip: bigint): string {
    let f = this.kernelFrames.get(ip);
    if (f === undefined) {
      const k = this.kernel;
      if (k && ip >= k.start && ip < k.end) {
        const sym = this.symbols ? this.symbols.resolve(ip) : null;
        f = `${ip.toString(16)} ${sym ?? '[unknown]'} ([kernel.kallsyms])`;
      } else f = `${ip.toString(16)} [unknown] ([unknown])`;
      this.kernelFrames.set(ip, f);
    }
    return f;
  }

  private userFrame(ip: bigint, pid: number, mode: number): string {
    const list = mode === MODE_USER ? this.maps.get(pid) : undefined;
    if (list) {
      for (let i = list.length - 1; i >= 0; i--) {
        const m = list[i];
        if (ip >= m.start && ip < m.end) {
          const addr = m.identity ? ip : ip - m.start + m.pgoff;
          return `${addr.toString(16)} [unknown] (${m.name})`;
        }
      }
    }
    return `${ip.toString(16)} [unknown] ([unknown])`;
  }
}
