/** Opening inputs: plain text, gzip and xz by magic (not by name), perf.data recognised, missing files reported. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openTextInput, sniff, xzSize } from '../../src/input/open.js';
import { NetdevTimesError } from '../../src/core/errors.js';
import { decode } from './helpers.js';

const FIX = new URL('../fixtures/traces/', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'netdev-times-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function readAll(path: string): Promise<{ kind: string; bytes: Buffer }> {
  const input = await openTextInput(path);
  const parts: Uint8Array[] = [];
  for await (const c of input.chunks) parts.push(c);
  return { kind: input.kind, bytes: Buffer.concat(parts) };
}

describe('sniff', () => {
  it('knows gzip, xz, perf.data and text by their first bytes', () => {
    expect(sniff(new Uint8Array([0x1f, 0x8b, 8, 0]))).toBe('gzip');
    expect(sniff(new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 4]))).toBe('xz');
    expect(sniff(new TextEncoder().encode('PERFILE2'))).toBe('perf-data');
    expect(sniff(new TextEncoder().encode('        polars-1'))).toBe('text');
    expect(sniff(new Uint8Array(0))).toBe('text');
    expect(sniff(new Uint8Array([0x1f]))).toBe('text');
  });

  it('the fixtures are what their names say', () => {
    expect(sniff(readFileSync(new URL('eth-npm.data', FIX)).subarray(0, 8))).toBe('perf-data');
    expect(sniff(readFileSync(new URL('http-lo.txt.xz', FIX)).subarray(0, 8))).toBe('xz');
  });
});

describe('openTextInput', () => {
  const text = readFileSync(new URL('older-kernels.txt', FIX));

  it('reads plain text as is', async () => {
    const r = await readAll(new URL('older-kernels.txt', FIX).pathname);
    expect(r.kind).toBe('text');
    expect(r.bytes.equals(text)).toBe(true);
  });

  it('a file of several chunks: each its own buffer by default; two buffers taking turns with reuseChunks', async () => {
    // 2.5 chunks of distinct bytes, so a chunk overwritten by a later read shows.
    const big = Buffer.alloc(5 << 19);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 20)) & 0xff;
    const path = join(tmp, 'big.txt');
    writeFileSync(path, big);
    const kept: Uint8Array[] = [];
    for await (const c of (await openTextInput(path)).chunks) kept.push(c);
    expect(kept.length).toBe(3);
    expect(Buffer.concat(kept).equals(big)).toBe(true);

    const copies: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const c of (await openTextInput(path, { reuseChunks: true })).chunks) {
      copies.push(Buffer.from(c));
      buffers.add(c.buffer);
    }
    expect(Buffer.concat(copies).equals(big)).toBe(true);
    expect(buffers.size).toBe(2);
  });

  it('decompresses gzip whatever the file is called', async () => {
    const p = join(tmp, 'trace.txt');
    writeFileSync(p, gzipSync(text));
    const r = await readAll(p);
    expect(r.kind).toBe('gzip');
    expect(r.bytes.equals(text)).toBe(true);
    expect(decode(r.bytes).counts).toMatchObject({ events: 51, rejected: 0 });
  });

  it('decompresses xz', async () => {
    const r = await readAll(new URL('http-lo.txt.xz', FIX).pathname);
    expect(r.kind).toBe('xz');
    const d = decode(r.bytes);
    expect(d.counts.rejected).toBe(0);
    expect(d.counts.events).toBeGreaterThan(1000);
  });

  it('xzSize: the decompressed size from the xz index; null for what is not a whole xz file', async () => {
    const path = new URL('http-lo.txt.xz', FIX).pathname;
    expect(await xzSize(path)).toBe((await readAll(path)).bytes.length);
    expect(await xzSize(new URL('older-kernels.txt', FIX).pathname)).toBeNull();
    expect(await xzSize(join(tmp, 'missing.xz'))).toBeNull();
    const cut = join(tmp, 'cut.xz');
    const whole = readFileSync(path);
    writeFileSync(cut, whole.subarray(0, whole.length - 40));
    expect(await xzSize(cut)).toBeNull();
  });

  it('a missing file is a NetdevTimesError, not a stack trace', async () => {
    const err = await openTextInput(join(tmp, 'nope.txt')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetdevTimesError);
    expect(err instanceof NetdevTimesError && err.message).toContain('nope.txt');
  });

  it('a corrupt xz file fails with a NetdevTimesError', async () => {
    const p = join(tmp, 'bad.xz');
    writeFileSync(p, Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(64, 7)]));
    const err = await readAll(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetdevTimesError);
    expect(err instanceof Error && err.message).toMatch(/bad\.xz: xz failed/);
  });

  it('a truncated xz file fails after its readable part, instead of ending the trace early', async () => {
    const whole = readFileSync(new URL('http-lo.txt.xz', FIX));
    const p = join(tmp, 'cut.txt.xz');
    writeFileSync(p, whole.subarray(0, whole.length >> 1));
    const input = await openTextInput(p);
    let got = 0;
    const err = await (async () => {
      for await (const c of input.chunks) got += c.length;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetdevTimesError);
    expect(got).toBeGreaterThan(0);
  });

  it('a truncated or corrupt gzip file fails with a NetdevTimesError', async () => {
    const gz = gzipSync(text);
    const cut = join(tmp, 'cut.gz');
    writeFileSync(cut, gz.subarray(0, gz.length >> 1));
    const e1 = await readAll(cut).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(NetdevTimesError);
    expect(e1 instanceof Error && e1.message).toContain('cut.gz');
    const bad = join(tmp, 'bad.gz');
    writeFileSync(bad, Buffer.concat([gz.subarray(0, 10), Buffer.alloc(100, 0xff)]));
    expect(await readAll(bad).catch((e: unknown) => e)).toBeInstanceOf(NetdevTimesError);
  });
});
