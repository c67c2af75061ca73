/** One event's format file text (tracefs events/SYS/NAME/format, as stored in the tracing data). */
import type { Field } from './fields.js';
import { tracingError } from './fail.js';

export interface FormatFile {
  readonly name: string;
  readonly id: number;
  readonly fields: readonly Field[];
  /** The text after `print fmt: `, or null when the file has none. */
  readonly printFmt: string | null;
}

function intAttr(part: string, key: string): number | null {
  const t = part.trim();
  if (!t.startsWith(key + ':')) return null;
  const v = t.slice(key.length + 1).trim();
  if (!/^-?\d{1,10}$/.test(v)) return null;
  return Number(v);
}

/** `unsigned int len`, `char prev_comm[16]`, `__data_loc char[] name`, `struct napi_struct * napi`. */
function parseField(line: string, where: string): Field {
  const parts = line.slice(line.indexOf('field:') + 6).split(';');
  let decl = parts[0].trim();
  let offset: number | null = null;
  let size: number | null = null;
  let signed = 0;
  for (const p of parts.slice(1)) {
    offset ??= intAttr(p, 'offset');
    size ??= intAttr(p, 'size');
    const s = intAttr(p, 'signed');
    if (s !== null) signed = s;
  }
  if (offset === null || size === null || offset < 0 || size < 0)
    throw tracingError(`${where}: field without offset/size: ${line.trim().slice(0, 80)}`);
  let isDynamic = false;
  let isRelative = false;
  if (decl.startsWith('__data_loc ')) {
    isDynamic = true;
    decl = decl.slice(11).trim();
  } else if (decl.startsWith('__rel_loc ')) {
    isDynamic = true;
    isRelative = true;
    decl = decl.slice(10).trim();
  }
  let isArray = isDynamic;
  const m = /^(.*?)([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^\]]*\])?$/s.exec(decl);
  if (!m) throw tracingError(`${where}: field declaration not understood: ${decl.slice(0, 80)}`);
  const name = m[2];
  let type = m[1].trim();
  // The array dimension group is optional: .at() types it as possibly undefined.
  const dims = m.at(3);
  if (dims !== undefined) {
    isArray = true;
    type = `${type}${dims}`;
  }
  if (type === '') type = name;
  const isPointer = type.endsWith('*');
  const isString = isArray && /\bchar\b/.test(type);
  const base = type.replace(/\s*\[.*$/, '');
  const isLong = base === 'long' || base === 'unsigned long';
  return {
    name,
    type,
    offset,
    size,
    signed: signed === 1,
    isArray,
    isDynamic,
    isRelative,
    isString,
    isPointer,
    isLong,
  };
}

export function parseFormatFile(text: string, where: string): FormatFile {
  let name: string | null = null;
  let id: number | null = null;
  const fields: Field[] = [];
  let printFmt: string | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t.startsWith('name:')) name = t.slice(5).trim();
    else if (t.startsWith('ID:')) {
      const v = t.slice(3).trim();
      if (!/^\d{1,9}$/.test(v)) throw tracingError(`${where}: bad ID ${JSON.stringify(v.slice(0, 20))}`);
      id = Number(v);
    } else if (t.startsWith('field:') || t.startsWith('field special:')) fields.push(parseField(line, where));
    else if (t.startsWith('print fmt:')) {
      // The print fmt is one line in practice; join the rest in case a kernel wraps it.
      printFmt = [line.slice(line.indexOf('print fmt:') + 10), ...lines.slice(i + 1)].join('\n').trim();
      break;
    }
  }
  if (name === null || name === '') throw tracingError(`${where}: format without a name`);
  if (id === null) throw tracingError(`${where}: format of ${name} without an ID`);
  return { name, id, fields, printFmt };
}
