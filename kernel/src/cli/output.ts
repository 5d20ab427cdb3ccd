export const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Left-aligned columns separated by two spaces; an empty list prints only `empty`. */
export function formatTable(columns: string[], rows: string[][], empty = '(none)'): string {
  if (rows.length === 0) return empty;
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map(line)].join('\n');
}
