/**
 * Parses the payload of the 13 netdev tracepoints into typed columns, for every print format they had
 * since 2.6.37 (see ../shared/traces/formats.md): fields are matched by key, not position, so older
 * formats (no `work`/`budget`, no `rx_sk`, no consume_skb `location`) and newer extra fields both parse.
 * Unknown fields are not lost: the row keeps its raw payload.
 */
import type { DictColumn, IntColumn } from '../core/columns.js';
import type { EventBatch } from './event-batch.js';
import { EventKind } from './kinds.js';
import { bytesOf, equals, indexOfEq, putInt, putPointer, startsWith, tokenEnd } from './scan.js';

const DEV = 1,
  SKB = 2,
  LEN = 4,
  RC = 8,
  IRQ = 16,
  NAME = 32,
  RET = 64,
  VEC = 128,
  VECNAME = 256,
  NAPI = 512,
  WORK = 1024,
  BUDGET = 2048,
  PROTO = 4096,
  LOC = 8192,
  REASON = 16384,
  RXSK = 32768;

/** Fields each kind may carry, and the ones it must carry to be usable. Indexed by EventKind. */
const ALLOWED = [
  0,
  DEV | SKB | LEN,
  DEV | SKB | LEN | RC,
  DEV | SKB | LEN,
  DEV | SKB | LEN,
  SKB | PROTO | LOC | REASON | RXSK,
  SKB | LOC,
  SKB | LEN,
  NAPI | DEV | WORK | BUDGET,
  IRQ | NAME,
  IRQ | RET,
  VEC | VECNAME,
  VEC | VECNAME,
  VEC | VECNAME,
];
const REQUIRED = [
  0,
  DEV | SKB | LEN,
  DEV | SKB | LEN | RC,
  DEV | SKB | LEN,
  DEV | SKB | LEN,
  SKB | PROTO | LOC,
  SKB,
  SKB | LEN,
  NAPI | DEV,
  IRQ | NAME,
  IRQ | RET,
  VEC,
  VEC,
  VEC,
];

const K = {
  dev: bytesOf('dev'),
  skbaddr: bytesOf('skbaddr'),
  len: bytesOf('len'),
  rc: bytesOf('rc'),
  protocol: bytesOf('protocol'),
  location: bytesOf('location'),
  rxSk: bytesOf('rx_sk'),
  irq: bytesOf('irq'),
  ret: bytesOf('ret'),
  return: bytesOf('return'),
  vec: bytesOf('vec'),
  softirq: bytesOf('softirq'),
  action: bytesOf('action'),
  bracketAction: bytesOf('[action'),
  reason: bytesOf('reason:'),
  name: bytesOf(' name='),
  handler: bytesOf(' handler='),
  irqEq: bytesOf('irq='),
  napiPrefix: bytesOf('napi poll on napi struct '),
  forDevice: bytesOf(' for device '),
  work: bytesOf(' work '),
  budget: bytesOf(' budget '),
};

function putStr(b: Uint8Array, s: number, e: number, col: DictColumn, i: number): boolean {
  col.ids[i] = col.table.idOfBytes(b, s, e);
  return true;
}

/**
 * Parses row i of `batch` as tracepoint `kind`, whatever the format; sets parsed/keepPayload. The normaliser
 * tries the fast paths (fast-path.ts) first; the test that holds the two to the same results calls this alone.
 */
export function parseGeneric(batch: EventBatch, i: number, kind: EventKind): void {
  const raw = batch.raw;
  const b = raw.arena;
  const s = raw.payloadStart[i];
  const e = raw.payloadEnd[i];
  let seen: number;
  let unknown = false;
  if (kind === EventKind.NapiPoll) {
    seen = parseNapi(batch, b, s, e, i);
    if (seen < 0) {
      unknown = true;
      seen = -seen;
    }
  } else if (kind === EventKind.IrqHandlerEntry) {
    seen = parseIrqEntry(batch, b, s, e, i);
  } else {
    const r = parseKeyValues(batch, b, s, e, i, kind);
    seen = r & 0xffff;
    unknown = (r & 0x10000) !== 0;
  }
  const req = REQUIRED[kind];
  const ok = (seen & req) === req;
  batch.parsed[i] = ok ? 1 : 0;
  if (!ok || unknown) batch.keepPayload[i] = 1;
}

/** Generic `key=value key=value ... [reason: X]` payloads. Returns the field mask, 0x10000 if a key was unknown. */
function parseKeyValues(batch: EventBatch, b: Uint8Array, s: number, e: number, i: number, kind: EventKind): number {
  const allowed = ALLOWED[kind];
  let seen = 0;
  let unknown = false;
  let p = s;
  while (p < e) {
    while (p < e && b[p] === 0x20) p++;
    if (p >= e) break;
    const te = tokenEnd(b, p, e);
    if ((allowed & REASON) !== 0 && equals(b, p, te, K.reason)) {
      // `reason: %s` runs to the end of the line and may be empty (the 2022 drop_reasons[] format).
      let vs = te < e ? te + 1 : te;
      let ve = e;
      while (ve > vs && b[ve - 1] === 0x20) ve--;
      if (vs > ve) vs = ve;
      putStr(b, vs, ve, batch.reason, i);
      seen |= REASON;
      break;
    }
    const eq = indexOfEq(b, p, te);
    if (eq < 0) {
      // Prose such as perf's `[FAILED TO PARSE]` marker: not a field.
      unknown = true;
      p = te;
      continue;
    }
    const f = fieldOfKey(b, p, eq, allowed);
    let ok = false;
    if (f !== 0 && (seen & f) === 0) {
      const vs = eq + 1;
      let ve = te;
      switch (f) {
        case DEV:
          ok = putStr(b, vs, ve, batch.dev, i);
          break;
        case SKB:
          ok = putPointer(b, vs, ve, batch.skbaddr, i);
          break;
        case LEN:
          ok = putInt(b, vs, ve, batch.len, i, kind !== EventKind.SkbCopyDatagramIovec);
          break;
        case RC:
          ok = putInt(b, vs, ve, batch.rc, i, false);
          break;
        case PROTO:
          ok = putInt(b, vs, ve, batch.protocol, i, true);
          break;
        case LOC:
          ok = putStr(b, vs, ve, batch.location, i);
          break;
        case RXSK:
          ok = putPointer(b, vs, ve, batch.rxSk, i);
          break;
        case IRQ:
          ok = putInt(b, vs, ve, batch.irq, i, false);
          break;
        case RET:
          ok = putStr(b, vs, ve, batch.ret, i);
          break;
        case VEC:
          ok = putInt(b, vs, ve, batch.vec, i, true);
          break;
        case VECNAME:
          if (ve > vs && b[ve - 1] === 0x5d) ve--;
          ok = putStr(b, vs, ve, batch.vecName, i);
          break;
      }
    }
    if (ok) seen |= f;
    else unknown = true;
    p = te;
  }
  return seen | (unknown ? 0x10000 : 0);
}

function fieldOfKey(b: Uint8Array, s: number, e: number, allowed: number): number {
  let f = 0;
  switch (e - s) {
    case 2:
      f = equals(b, s, e, K.rc) ? RC : 0;
      break;
    case 3:
      f = equals(b, s, e, K.dev)
        ? DEV
        : equals(b, s, e, K.len)
          ? LEN
          : equals(b, s, e, K.irq)
            ? IRQ
            : equals(b, s, e, K.ret)
              ? RET
              : equals(b, s, e, K.vec)
                ? VEC
                : 0;
      break;
    case 5:
      f = equals(b, s, e, K.rxSk) ? RXSK : 0;
      break;
    case 6:
      f = equals(b, s, e, K.return) ? RET : equals(b, s, e, K.action) ? VECNAME : 0;
      break;
    case 7:
      f = equals(b, s, e, K.skbaddr)
        ? SKB
        : equals(b, s, e, K.softirq)
          ? VEC
          : equals(b, s, e, K.bracketAction)
            ? VECNAME
            : 0;
      break;
    case 8:
      f = equals(b, s, e, K.protocol) ? PROTO : equals(b, s, e, K.location) ? LOC : 0;
      break;
  }
  return f & allowed;
}

function indexOf(b: Uint8Array, s: number, e: number, k: Uint8Array): number {
  const last = e - k.length;
  outer: for (let p = s; p <= last; p++) {
    for (let j = 0; j < k.length; j++) if (b[p + j] !== k[j]) continue outer;
    return p;
  }
  return -1;
}

/** `irq=%d name=%s` (`handler=` before 2.6.35): the name is free text to the end of the line. */
function parseIrqEntry(batch: EventBatch, b: Uint8Array, s: number, e: number, i: number): number {
  if (!startsWith(b, s, e, K.irqEq)) return 0;
  const ie = tokenEnd(b, s, e);
  let seen = putInt(b, s + K.irqEq.length, ie, batch.irq, i, false) ? IRQ : 0;
  const key = startsWith(b, ie, e, K.name) ? K.name : startsWith(b, ie, e, K.handler) ? K.handler : null;
  if (key) seen |= putStr(b, ie + key.length, e, batch.irqName, i) ? NAME : 0;
  return seen;
}

/**
 * `napi poll on napi struct %p for device %s[ work %d budget %d]`. Returns the field mask, negated when
 * the line has text this parser does not know.
 */
function parseNapi(batch: EventBatch, b: Uint8Array, s: number, e: number, i: number): number {
  if (!startsWith(b, s, e, K.napiPrefix)) return -0;
  const ps = s + K.napiPrefix.length;
  const pe = tokenEnd(b, ps, e);
  let seen = putPointer(b, ps, pe, batch.napi, i) ? NAPI : 0;
  if (!startsWith(b, pe, e, K.forDevice)) return -seen;
  const ds = pe + K.forDevice.length;
  const de = tokenEnd(b, ds, e);
  if (de > ds) seen |= putStr(b, ds, de, batch.dev, i) ? DEV : 0;
  if (de === e) return seen;
  const w = indexOf(b, de, e, K.work);
  if (w !== de) return -seen;
  const ws = w + K.work.length;
  const we = tokenEnd(b, ws, e);
  if (putInt(b, ws, we, batch.work, i, false)) seen |= WORK;
  if (!startsWith(b, we, e, K.budget)) return -seen;
  const bs = we + K.budget.length;
  const be = tokenEnd(b, bs, e);
  if (putInt(b, bs, be, batch.budget, i, false)) seen |= BUDGET;
  return be === e ? seen : -seen;
}

export type { IntColumn };
