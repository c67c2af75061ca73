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
    const line = lines.find((l) => l.endsWith(' T __netif_receive_skb')) ?? lines[Math.floor(lines.length / 2)];
    const [hex, , name] = line.split(' ');
    expect(real.resolve(BigInt(`0x${hex}`) + 0x10n)).toMatch(new RegExp(`^\\S+\\+0x10$`));
    expect(real.resolve(BigInt(`0x${hex}`))).toBe(`${name}+0x0`);
  });
});
