/**
 * Thrift compact protocol, write side only: the subset Parquet's footer and page headers use (i32, i64,
 * binary, bool, struct, list). Field ids must be written in increasing order within a struct.
 */
import { ByteWriter } from './bytes.js';

const enum CT {
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Binary = 8,
  List = 9,
  Struct = 12,
}

const utf8 = new TextEncoder();

export class ThriftWriter {
  readonly out: ByteWriter;
  private last = 0;
  private readonly stack: number[] = [];

  constructor(out = new ByteWriter(256)) {
    this.out = out;
  }

  private field(id: number, type: number): void {
    const delta = id - this.last;
    if (delta > 0 && delta <= 15) this.out.byte((delta << 4) | type);
    else {
      this.out.byte(type);
      this.out.zigzag(id);
    }
    this.last = id;
  }

  i32(id: number, v: number): this {
    this.field(id, CT.I32);
    this.out.zigzag(v);
    return this;
  }

  i16(id: number, v: number): this {
    this.field(id, CT.I16);
    this.out.zigzag(v);
    return this;
  }

  /** An i64 given as a JS integer (offsets, sizes, counts: all below 2^53). */
  i64(id: number, v: number): this {
    this.field(id, CT.I64);
    this.out.zigzag(v);
    return this;
  }

  i8(id: number, v: number): this {
    this.field(id, CT.Byte);
    this.out.byte(v & 0xff);
    return this;
  }

  bool(id: number, v: boolean): this {
    this.field(id, v ? CT.True : CT.False);
    return this;
  }

  binary(id: number, b: Uint8Array): this {
    this.field(id, CT.Binary);
    this.out.varint(b.length);
    this.out.bytes(b);
    return this;
  }

  string(id: number, s: string): this {
    return this.binary(id, utf8.encode(s));
  }

  /** A nested struct; `body` writes its fields. */
  struct(id: number, body: (w: this) => void): this {
    this.field(id, CT.Struct);
    this.structBody(body);
    return this;
  }

  /** A list of structs. */
  structList<T>(id: number, items: readonly T[], body: (w: this, item: T) => void): this {
    this.listHeader(id, items.length, CT.Struct);
    for (const item of items) this.structBody((w) => body(w, item));
    return this;
  }

  i32List(id: number, items: readonly number[]): this {
    this.listHeader(id, items.length, CT.I32);
    for (const v of items) this.out.zigzag(v);
    return this;
  }

  stringList(id: number, items: readonly string[]): this {
    this.listHeader(id, items.length, CT.Binary);
    for (const s of items) {
      const b = utf8.encode(s);
      this.out.varint(b.length);
      this.out.bytes(b);
    }
    return this;
  }

  /** Ends the top-level struct. */
  end(): Uint8Array {
    this.out.byte(0);
    return this.out.view();
  }

  private structBody(body: (w: this) => void): void {
    this.stack.push(this.last);
    this.last = 0;
    body(this);
    this.out.byte(0);
    this.last = this.stack.pop() ?? 0;
  }

  private listHeader(id: number, size: number, elem: number): void {
    this.field(id, CT.List);
    if (size < 15) this.out.byte((size << 4) | elem);
    else {
      this.out.byte(0xf0 | elem);
      this.out.varint(size);
    }
  }
}
