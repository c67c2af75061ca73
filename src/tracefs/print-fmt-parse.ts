/**
 * Parses an event's `print fmt:` (a C format string and the TP_printk arguments, as the kernel writes them
 * into the format file) into a small expression tree. Done once per event; rendering never re-parses.
 */
import { tracingError } from './fail.js';

export type Expr =
  | { readonly k: 'num'; readonly v: bigint }
  | { readonly k: 'str'; readonly s: string }
  | { readonly k: 'field'; readonly name: string }
  /** A bare identifier (an enum name that the kernel did not resolve). */
  | { readonly k: 'atom'; readonly name: string }
  | { readonly k: 'getStr'; readonly name: string }
  | { readonly k: 'dynArray'; readonly name: string }
  | { readonly k: 'dynArrayLen'; readonly name: string }
  | { readonly k: 'symbolic'; readonly value: Expr; readonly table: readonly (readonly [bigint, string])[] }
  | {
      readonly k: 'flags';
      readonly value: Expr;
      readonly delim: string;
      readonly table: readonly (readonly [bigint, string])[];
    }
  | { readonly k: 'hex'; readonly data: Expr; readonly len: Expr; readonly str: boolean }
  | { readonly k: 'array'; readonly data: Expr; readonly count: Expr; readonly elSize: Expr }
  | { readonly k: 'unary'; readonly op: string; readonly e: Expr }
  | { readonly k: 'bin'; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'cond'; readonly c: Expr; readonly t: Expr; readonly f: Expr }
  | { readonly k: 'cast'; readonly type: string; readonly e: Expr };

export interface PrintFmt {
  readonly format: string;
  readonly args: readonly Expr[];
}

type Tok = { t: 'num'; v: bigint } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

const OPS3 = ['<<=', '>>='];
const OPS2 = ['->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||'];
const MAX_TOKENS = 1 << 16;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    if (out.length > MAX_TOKENS) throw tracingError('print fmt too long');
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (i < n && src[i] !== '"') {
        // The kernel writes escapes as the two characters; libtraceevent keeps them so.
        if (src[i] === '\\' && i + 1 < n) {
          s += src[i] + src[i + 1];
          i += 2;
          continue;
        }
        s += src[i++];
      }
      if (i >= n) throw tracingError('print fmt: unterminated string');
      i++;
      out.push({ t: 'str', v: s });
      continue;
    }
    if (c === "'") {
      const m = /^'(\\?.)'/s.exec(src.slice(i, i + 4));
      if (!m) throw tracingError('print fmt: bad character constant');
      const ch =
        m[1].length === 2
          ? (({ n: 10, t: 9, '0': 0 } as Record<string, number>)[m[1][1]] ?? m[1].charCodeAt(1))
          : m[1].charCodeAt(0);
      out.push({ t: 'num', v: BigInt(ch) });
      i += m[0].length;
      continue;
    }
    if (c >= '0' && c <= '9') {
      const m = /^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*/.exec(src.slice(i, i + 40));
      if (!m) throw tracingError('print fmt: bad number');
      out.push({
        t: 'num',
        v: BigInt(m[1].length > 1 && m[1][0] === '0' && !/[xX]/.test(m[1]) ? `0o${m[1].slice(1)}` : m[1]),
      });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(src[j])) j++;
      out.push({ t: 'id', v: src.slice(i, j) });
      i = j;
      continue;
    }
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    if (OPS3.includes(three)) {
      out.push({ t: 'op', v: three });
      i += 3;
    } else if (OPS2.includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
    } else if ('(){}[],?:+-*/%<>&|^~!.'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
    } else throw tracingError(`print fmt: unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

const TYPE_WORDS = new Set([
  'unsigned',
  'signed',
  'int',
  'long',
  'short',
  'char',
  'bool',
  'void',
  'struct',
  'enum',
  'const',
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  '__u8',
  '__u16',
  '__u32',
  '__u64',
  '__s8',
  '__s16',
  '__s32',
  '__s64',
  'size_t',
  'ssize_t',
  'pid_t',
  'gfp_t',
]);

const BINARY: Readonly<Partial<Record<string, number>>> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

const MAX_DEPTH = 200;

class Parser {
  private p = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok | undefined {
    return this.toks[this.p + o];
  }
  private isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && t.t === 'op' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw tracingError(`print fmt: expected '${v}'`);
    this.p++;
  }
  private ident(): string {
    const t = this.peek();
    if (!t || t.t !== 'id') throw tracingError('print fmt: expected a name');
    this.p++;
    return t.v;
  }
  done(): boolean {
    return this.p >= this.toks.length;
  }

  top(): PrintFmt {
    let format = '';
    let any = false;
    for (let t = this.peek(); t && t.t === 'str'; t = this.peek()) {
      format += t.v;
      any = true;
      this.p++;
    }
    if (!any) throw tracingError('print fmt does not start with a string');
    const args: Expr[] = [];
    while (!this.done()) {
      this.expectOp(',');
      args.push(this.expr());
    }
    return { format, args };
  }

  expr(): Expr {
    if (++this.depth > MAX_DEPTH) throw tracingError('print fmt nested too deeply');
    try {
      const c = this.binary(1);
      if (!this.isOp('?')) return c;
      this.p++;
      const t = this.expr();
      this.expectOp(':');
      const f = this.expr();
      return { k: 'cond', c, t, f };
    } finally {
      this.depth--;
    }
  }

  private binary(minPrec: number): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (!t || t.t !== 'op') return l;
      const prec = BINARY[t.v];
      if (prec === undefined || prec < minPrec) return l;
      this.p++;
      const r = this.binary(prec + 1);
      l = { k: 'bin', op: t.v, l, r };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t && t.t === 'op' && (t.v === '-' || t.v === '!' || t.v === '~' || t.v === '+')) {
      this.p++;
      if (++this.depth > MAX_DEPTH) throw tracingError('print fmt nested too deeply');
      const e = this.unary();
      this.depth--;
      return t.v === '+' ? e : { k: 'unary', op: t.v, e };
    }
    if (this.isOp('(') && this.looksLikeCast()) {
      this.p++;
      const words: string[] = [];
      while (!this.isOp(')')) {
        const w = this.peek();
        if (!w) throw tracingError('print fmt: unterminated cast');
        words.push(w.v.toString());
        this.p++;
      }
      this.p++;
      if (++this.depth > MAX_DEPTH) throw tracingError('print fmt nested too deeply');
      const e = this.unary();
      this.depth--;
      return { k: 'cast', type: words.join(' '), e };
    }
    return this.primary();
  }

  /** `(` type words and `*` `)`, followed by something an operand can start with. */
  private looksLikeCast(): boolean {
    let o = 1;
    const first = this.peek(o);
    if (!first || first.t !== 'id') return false;
    if (!TYPE_WORDS.has(first.v) && !/_t$/.test(first.v)) return false;
    for (;;) {
      const t = this.peek(o);
      if (!t) return false;
      if (t.t === 'op' && t.v === ')') break;
      if (!(t.t === 'id' || (t.t === 'op' && t.v === '*'))) return false;
      o++;
    }
    const after = this.peek(o + 1);
    if (!after) return false;
    return after.t !== 'op' || ['(', '-', '!', '~'].includes(after.v);
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) throw tracingError('print fmt: argument missing');
    if (t.t === 'num') {
      this.p++;
      return { k: 'num', v: t.v };
    }
    if (t.t === 'str') {
      let s = '';
      for (let u = this.peek(); u && u.t === 'str'; u = this.peek()) {
        s += u.v;
        this.p++;
      }
      return { k: 'str', s };
    }
    if (t.t === 'op' && t.v === '(') {
      this.p++;
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (t.t !== 'id') throw tracingError(`print fmt: unexpected '${t.v}'`);
    this.p++;
    if (t.v === 'REC' && this.isOp('->')) {
      this.p++;
      return { k: 'field', name: this.ident() };
    }
    if (this.isOp('(')) return this.call(t.v);
    return { k: 'atom', name: t.v };
  }

  private table(): [bigint, string][] {
    const out: [bigint, string][] = [];
    while (this.isOp(',')) {
      this.p++;
      this.expectOp('{');
      const v = constant(this.expr());
      this.expectOp(',');
      const s = this.peek();
      if (!s || s.t !== 'str') throw tracingError('print fmt: symbol table entry without a string');
      this.p++;
      this.expectOp('}');
      out.push([v, s.v]);
    }
    return out;
  }

  private call(fn: string): Expr {
    this.expectOp('(');
    let e: Expr;
    switch (fn) {
      case '__get_str':
      case '__get_rel_str':
        e = { k: 'getStr', name: this.fieldName() };
        break;
      case '__get_dynamic_array':
      case '__get_rel_dynamic_array':
      case '__get_bitmask':
        e = { k: 'dynArray', name: this.fieldName() };
        break;
      case '__get_dynamic_array_len':
      case '__get_rel_dynamic_array_len':
        e = { k: 'dynArrayLen', name: this.fieldName() };
        break;
      case '__print_symbolic':
      case '__print_symbolic_u64': {
        const value = this.expr();
        e = { k: 'symbolic', value, table: this.table() };
        break;
      }
      case '__print_flags':
      case '__print_flags_u64': {
        const value = this.expr();
        this.expectOp(',');
        const d = this.peek();
        if (!d || d.t !== 'str') throw tracingError('print fmt: __print_flags without a delimiter');
        this.p++;
        e = { k: 'flags', value, delim: d.v, table: this.table() };
        break;
      }
      case '__print_hex':
      case '__print_hex_str': {
        const data = this.expr();
        this.expectOp(',');
        e = { k: 'hex', data, len: this.expr(), str: fn === '__print_hex_str' };
        break;
      }
      case '__print_array': {
        const data = this.expr();
        this.expectOp(',');
        const count = this.expr();
        this.expectOp(',');
        e = { k: 'array', data, count, elSize: this.expr() };
        break;
      }
      default:
        throw tracingError(`print fmt: function ${fn} not known`);
    }
    this.expectOp(')');
    return e;
  }

  private fieldName(): string {
    const t = this.peek();
    if (t && t.t === 'id' && t.v === 'REC' && this.isOp('->', 1)) this.p += 2;
    return this.ident();
  }
}

/** Evaluates a constant expression (symbol table values), as libtraceevent does when it parses them. */
export function constant(e: Expr): bigint {
  switch (e.k) {
    case 'num':
      return e.v;
    case 'unary': {
      const v = constant(e.e);
      return BigInt.asUintN(64, e.op === '-' ? -v : e.op === '~' ? ~v : v === 0n ? 1n : 0n);
    }
    case 'cast':
      return constant(e.e);
    case 'bin':
      return BigInt.asUintN(64, binop(e.op, constant(e.l), constant(e.r)));
    case 'cond':
      return constant(e.c) !== 0n ? constant(e.t) : constant(e.f);
    default:
      throw tracingError('print fmt: symbol table value is not a constant');
  }
}

/** libtraceevent's arithmetic: unsigned long long, logical ops give 0/1. */
export function binop(op: string, l: bigint, r: bigint): bigint {
  switch (op) {
    case '+':
      return BigInt.asUintN(64, l + r);
    case '-':
      return BigInt.asUintN(64, l - r);
    case '*':
      return BigInt.asUintN(64, l * r);
    case '/':
      return r === 0n ? 0n : l / r;
    case '%':
      return r === 0n ? 0n : l % r;
    case '<<':
      return r >= 64n ? 0n : BigInt.asUintN(64, l << r);
    case '>>':
      return r >= 64n ? 0n : l >> r;
    case '&':
      return l & r;
    case '|':
      return l | r;
    case '^':
      return l ^ r;
    case '&&':
      return l !== 0n && r !== 0n ? 1n : 0n;
    case '||':
      return l !== 0n || r !== 0n ? 1n : 0n;
    case '==':
      return l === r ? 1n : 0n;
    case '!=':
      return l !== r ? 1n : 0n;
    case '<':
      return l < r ? 1n : 0n;
    case '<=':
      return l <= r ? 1n : 0n;
    case '>':
      return l > r ? 1n : 0n;
    case '>=':
      return l >= r ? 1n : 0n;
    default:
      return 0n;
  }
}

export function parsePrintFmt(src: string): PrintFmt {
  const p = new Parser(tokenize(src));
  return p.top();
}
