/** Plain-text tables for the benchmark's human output (Markdown pipes, so the README can take them as they are). */

export type Cell = string | number | null;

function show(c: Cell, digits: number): string {
  if (c === null) return '-';
  if (typeof c === 'string') return c;
  if (Number.isInteger(c) && Math.abs(c) >= 1000) return c.toLocaleString('en-US');
  return c.toFixed(digits);
}

/** A Markdown table; numbers right-aligned, `digits` decimals for non-integers (one for all columns, or per column). */
export function markdownTable(
  header: readonly string[],
  rows: readonly Cell[][],
  digits: number | readonly number[] = 2,
): string {
  const text = rows.map((r) => r.map((c, i) => show(c, typeof digits === 'number' ? digits : (digits[i] ?? 2))));
  const width = header.map((h, i) => Math.max(h.length, ...text.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.every((r) => typeof r[i] !== 'string'));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(width[i]) : c.padEnd(width[i]))).join(' | ')} |`;
  const rule = `|${width.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...text.map(line)].join('\n');
}
