/** print fmt shapes the recordings do not have, checked against what libtraceevent/glibc print. */
import { describe, expect, it } from 'vitest';
import { ByteBuffer } from '../../src/tracefs/index.js';
import { CompiledEvent } from '../../src/tracefs/event-format.js';
import { parseFormatFile } from '../../src/tracefs/format-file.js';
import type { Field } from '../../src/tracefs/fields.js';

const HEAD = `name: t\nID: 9\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n`;

function render(fields: string, fmt: string, raw: number[]): string {
  const file = parseFormatFile(`${HEAD}${fields}\nprint fmt: ${fmt}\n`, 't');
  const m = new Map<string, Field>(file.fields.map((f) => [f.name, f]));
  const ev = new CompiledEvent('s', file, { le: true, longSize: 8, fields: m, resolve: null, symbolCache: new Map() });
  const out = new ByteBuffer();
  ev.render(Uint8Array.from(raw), 0, raw.length, out);
  return Buffer.from(out.bytes()).toString('latin1');
}

const I32 = '\tfield:int v;\toffset:4;\tsize:4;\tsigned:1;';
const le32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

describe('print fmt rendering', () => {
  it('integers with flags and widths', () => {
    expect(
      render(I32, '"%d|%5d|%-5d|%05d|%x|%#x|%u", REC->v, REC->v, REC->v, REC->v, REC->v, REC->v, REC->v', [
        9,
        0,
        0,
        0,
        ...le32(-3),
      ]),
    ).toBe('-3|   -3|-3   |-0003|fffffffd|0xfffffffd|4294967293');
    expect(render(I32, '"%03d %c%%", REC->v, 65', [9, 0, 0, 0, ...le32(7)])).toBe('007 A%');
  });
  it('%p, %px and NULL', () => {
    const f = '\tfield:void * p;\toffset:8;\tsize:8;\tsigned:0;';
    expect(
      render(
        f,
        '"%p %px %pS", REC->p, REC->p, REC->p',
        [9, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x75, 0xac, 2, 0x81, 0x88, 0xff, 0xff],
      ),
    ).toBe('0xffff888102ac7510 0xffff888102ac7510x 0xffff888102ac7510');
    expect(render(f, '"%p %pS", REC->p, REC->p', [9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe('(nil) 0x0');
  });
  it('__print_flags, __print_symbolic misses, ternaries', () => {
    expect(
      render(I32, '"%s", __print_flags(REC->v, "|", { 1, "A" }, { 2, "B" }, { 8, "D" })', [9, 0, 0, 0, ...le32(0x13)]),
    ).toBe('A|B|0x10');
    expect(render(I32, '"[%s]", __print_symbolic(REC->v, { 0, "HI" })', [9, 0, 0, 0, ...le32(0x4d)])).toBe('[0x4d]');
    expect(render(I32, '"%s", REC->v > 3 ? "big" : "small"', [9, 0, 0, 0, ...le32(4)])).toBe('big');
  });
  it('an unknown helper prints [FAILED TO PARSE] with the raw fields', () => {
    expect(render(I32, '"v=%d", __new_helper(REC->v)', [9, 0, 0, 0, ...le32(-2)])).toBe('[FAILED TO PARSE] v=-2');
  });
});
