/**
 * k-anonymity for every published count (issue 20, ADR 052): a count below K is never shown, and
 * neither is a count that would give it back by subtraction from a published total and the other
 * cells of its row or column (complementary suppression). Every figure, its CSV and the council
 * report go through `suppressFigure`; nothing else decides what may be shown.
 *
 * Pure: no database, no React, so the browser and the CSV share it and the unit test proves it.
 */
export const K = 10;
export const SUPPRESSED_LABEL = "10人未満";

/** A shown count, or null where it must read 「10人未満」. */
export type SafeCount = number | null;

/**
 * A figure's raw counts: rows (days, venues, age bands…) × columns (channels, statuses…).
 * Columns with `sum` add up to the row total; `capacity` columns count seats, not people, and are
 * published as they are. `rates` are percentages derived from two columns.
 */
export type RawTable = {
  rows: string[];
  cols: { label: string; sum?: boolean; capacity?: boolean }[];
  cells: number[][];
  rowTotals?: boolean;
  colTotals?: boolean;
  rates?: {
    label: string;
    num: number;
    /** A column, or the row total. */
    den: number | "total";
    /** den − num counts people too (e.g. those who did not finish): hidden when small. */
    complement?: boolean;
  }[];
};

export type SafeTable = {
  rows: string[];
  cols: { label: string; sum?: boolean; capacity?: boolean }[];
  cells: SafeCount[][];
  rowTotals: SafeCount[] | null;
  colTotals: SafeCount[] | null;
  grandTotal: SafeCount | null | undefined;
  rates: { label: string; values: (number | null)[] }[];
};

const small = (n: number) => n < K;

/**
 * Primary suppression (every count 0–9), then complementary suppression until nothing changes: in
 * each row and column that is published with its total, the hidden cells (the total included) are
 * never exactly one, else that one is the total minus the others. The second hidden cell is the
 * smallest shown one, which loses the least information.
 */
export function suppressTable(t: RawTable): SafeTable {
  const R = t.rows.length;
  const sumCols = t.cols.map((c, j) => (c.sum ? j : -1)).filter((j) => j >= 0);
  const rowTotal = t.cells.map((r) => sumCols.reduce((a, j) => a + (r[j] ?? 0), 0));
  const colTotal = t.cols.map((_, j) => t.cells.reduce((a, r) => a + (r[j] ?? 0), 0));
  const grand = rowTotal.reduce((a, b) => a + b, 0);

  // The augmented grid: R+1 rows × C+1 columns, the last row/column being the totals.
  const C = t.cols.length;
  const value = (i: number, j: number) =>
    i < R ? (j < C ? t.cells[i]![j]! : rowTotal[i]!) : j < C ? colTotal[j]! : grand;
  const shown = (i: number, j: number) =>
    i < R ? (j < C ? true : !!t.rowTotals) : j < C ? !!t.colTotals : !!t.rowTotals && !!t.colTotals;
  const hidden: boolean[][] = Array.from({ length: R + 1 }, (_, i) =>
    Array.from({ length: C + 1 }, (_, j) => shown(i, j) && !(j < C && t.cols[j]!.capacity) && small(value(i, j))),
  );

  // The lines where a total is published: each row over the sum columns, each person column over the rows.
  const lines: [number, number][][] = [];
  if (t.rowTotals) {
    for (let i = 0; i < R + (t.colTotals ? 1 : 0); i++)
      lines.push([...sumCols.map((j) => [i, j] as [number, number]), [i, C]]);
  }
  if (t.colTotals) {
    const personCols = t.cols.map((c, j) => (c.capacity ? -1 : j)).filter((j) => j >= 0);
    for (const j of personCols)
      lines.push([...Array.from({ length: R }, (_, i) => [i, j] as [number, number]), [R, j]]);
    if (t.rowTotals) lines.push([...Array.from({ length: R }, (_, i) => [i, C] as [number, number]), [R, C]]);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const hid = line.filter(([i, j]) => hidden[i]![j]);
      if (hid.length !== 1) continue;
      const candidates = line.filter(([i, j]) => !hidden[i]![j]);
      if (candidates.length === 0) continue;
      // Prefer a cell over a total, then the smallest.
      candidates.sort(
        (a, b) => Number(a[1] === C || a[0] === R) - Number(b[1] === C || b[0] === R) || value(...a) - value(...b),
      );
      const [i, j] = candidates[0]!;
      hidden[i]![j] = true;
      changed = true;
    }
  }

  const cell = (i: number, j: number): SafeCount => (hidden[i]![j] ? null : value(i, j));
  const cells = t.rows.map((_, i) => t.cols.map((_, j) => cell(i, j)));
  const rates = (t.rates ?? []).map((r) => ({
    label: r.label,
    values: t.rows.map((_, i) => {
      const num = t.cells[i]![r.num]!;
      const den = r.den === "total" ? rowTotal[i]! : t.cells[i]![r.den]!;
      const denHidden = r.den === "total" ? hidden[i]![C] : !t.cols[r.den]!.capacity && hidden[i]![r.den];
      if (den === 0) return null;
      // A rate gives its numerator back to anyone who knows the denominator (and vice versa).
      if (hidden[i]![r.num] || denHidden) return null;
      if (r.complement && small(den - num)) return null;
      return Math.round((num / den) * 1000) / 10;
    }),
  }));
  return {
    rows: t.rows,
    cols: t.cols,
    cells,
    rowTotals: t.rowTotals ? t.rows.map((_, i) => cell(i, C)) : null,
    colTotals: t.colTotals ? t.cols.map((_, j) => cell(R, j)) : null,
    grandTotal: t.rowTotals && t.colTotals ? cell(R, C) : undefined,
    rates,
  };
}

/** How a safe count is written on the page, in the CSV and in the report. */
export function formatCount(n: SafeCount): string {
  return n === null ? SUPPRESSED_LABEL : n.toLocaleString("ja-JP");
}

export function formatRate(r: number | null): string {
  return r === null ? "—" : `${r.toFixed(1)}%`;
}
