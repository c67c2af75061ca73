import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KernelSymbols } from '../../src/tracefs/index.js';

const SYNTHETIC = [
  'ffffffff81000000 T _stext',
  'ffffffff81000000 T _text',
  'ffffffff81001000 t helper_local',
  'ffffffff81001000 T helper_global',
  'ffffffff81002000 W weak_one',
  'ffffffff81002000 t __strong_one',
  'ffffffff81003000 r some_rodata',
  'ffffffff81004000 T tcp_v4_rcv',
  'ffffffff81004100 T validate_xmit_skb.isra.0',
  'ffffffffc0a00000 t mod_fn\t[virtio_net]',
].join('\n');

describe('KernelSymbols', () => {
  const k = KernelSymbols.fromKallsyms(SYNTHETIC);

  it('resolves sym+0xoff, the symbol ending where the next starts', () => {
    expect(k.resolve(0xffffffff81004000n)).toBe('tcp_v4_rcv+0x0');
    expect(k.resolve(0xffffffff810041e4n)).toBe('validate_xmit_skb.isra.0+0xe4');
    expect(k.resolve(0xffffffff810040ffn)).toBe('tcp_v4_rcv+0xff');
  });

  it('skips read-only data symbols, as perf does', () => {
    expect(k.resolve(0xffffffff81003010n)).toBe('__strong_one+0x1010');
  });

  it('keeps the symbol perf prefers at one address', () => {
    expect(k.resolve(0xffffffff81001004n)).toBe('helper_global+0x4');
    expect(k.resolve(0xffffffff81002000n)).toBe('__strong_one+0x0');
    expect(k.resolve(0xffffffff81000010n)).toBe('_stext+0x10');
  });

  it('returns null below the first symbol and a page past the last', () => {
    expect(k.resolve(0xffffffff80ffffffn)).toBeNull();
    expect(k.resolve(0xffffffffc0a00010n)).toBe('mod_fn+0x10');
    expect(k.resolve(0xffffffffc0a01000n)).toBeNull();
    expect(k.resolve(0n)).toBeNull();
  });

  it('resolves a recording made on another boot (KASLR) with withOffset', () => {
    expect(k.textStart).toBe(0xffffffff81000000n);
    const recordedText = 0xffffffff9a200000n;
    const moved = k.withOffset(recordedText - (k.textStart ?? 0n));
    expect(moved.resolve(0xffffffff9a204010n)).toBe('tcp_v4_rcv+0x10');
    expect(moved.resolve(0xffffffff81004010n)).toBeNull();
    expect(k.resolve(0xffffffff81004010n)).toBe('tcp_v4_rcv+0x10');
  });

  it('ignores lines that are not kallsyms lines', () => {
    const j = KernelSymbols.fromKallsyms('garbage\n\nzzzz T x\nffffffff81000000 T ok\nffffffff81000100 Tbad\n');
    expect(j.resolve(0xffffffff81000200n)).toBe('ok+0x200');
  });

  it("resolves this machine's kernel addresses with this machine's /proc/kallsyms", () => {
    let text: string;
    try {
      text = readFileSync('/proc/kallsyms', 'latin1');
    } catch {
      return; // no /proc/kallsyms (not Linux): nothing to check
    }
    const lines = text
      .split('\n')
      .filter((l) => / [Tt] [a-z_][a-z0-9_]*$/.test(l) && !l.startsWith('0000000000000000'));
    if (lines.length < 1000) return; // addresses hidden (kptr_restrict, not root)
    const real = KernelSymbols.fromKallsyms(text);
    // A function alone at its address with 0x10 bytes of its own, among every symbol kept: kernels differ in
    // whether __netif_receive_skb is global (T) or local (t), and a 16-byte __pfx_ padding symbol ends where the
    // next one starts.
    const kept = text
      .split('\n')
      .map((l) => l.split('\t')[0].split(' '))
      .filter(
        ([hex, type, name]) => /^[0-9a-f]+$/.test(hex) && /^[TtWwDdBb]$/.test(type) && name && BigInt(`0x${hex}`) > 0n,
      )
      .map(([hex, type, name]) => ({ addr: BigInt(`0x${hex}`), type, name }))
      .sort((x, y) => (x.addr < y.addr ? -1 : x.addr > y.addr ? 1 : 0));
    const alone = (i: number): boolean =>
      i > 0 && i + 1 < kept.length && kept[i - 1].addr < kept[i].addr && kept[i + 1].addr - kept[i].addr > 0x10n;
    const fn = (i: number): boolean => /^[Tt]$/.test(kept[i].type) && /^[a-z_][a-z0-9_]*$/.test(kept[i].name);
    const named = kept.findIndex((k, i) => k.name === '__netif_receive_skb' && alone(i));
    const at = named >= 0 ? named : kept.findIndex((_, i) => i >= kept.length / 2 && fn(i) && alone(i));
    expect(at).toBeGreaterThanOrEqual(0);
    const { addr, name } = kept[at];
    expect(real.resolve(addr + 0x10n)).toBe(`${name}+0x10`);
    expect(real.resolve(addr)).toBe(`${name}+0x0`);
  });
});
