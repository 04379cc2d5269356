import { formatCount, formatRate, suppressTable, type RawTable, type SafeTable } from "./k-anon";
import { addDays, isCalendarDate } from "~/lib/japan-time";

/** A chosen period: Japan-time dates, both included. */
export type Period = { from: string; to: string };

/** A figure as its provider computes it: raw counts, never shown as they are. */
export type RawFigure = {
  id: string;
  title: string;
  description: string;
  /** How the chart draws the columns: bars per row, or one line per column (a trend). */
  chart: "bar" | "line";
  /** Which columns the chart draws (default: all counted columns, or the rates when there are some). */
  plot?: "counts" | "rates";
  rowHeader: string;
  table: RawTable;
  /** The list behind the figure, for the roles that may see it. */
  link?: { href: string; label: string };
};

/** What pages, CSV and the report receive: every count already through k-anonymity. */
export type Figure = Omit<RawFigure, "table"> & { table: SafeTable };

export function safeFigure(f: RawFigure): Figure {
  return { ...f, table: suppressTable(f.table) };
}

/** The figure exactly as shown in its data table: header row, then one row per line, then totals. */
export function figureRows(f: Figure): string[][] {
  const t = f.table;
  const header = [
    f.rowHeader,
    ...t.cols.map((c) => c.label),
    ...(t.rowTotals ? ["合計"] : []),
    ...t.rates.map((r) => r.label),
  ];
  const rows = t.rows.map((label, i) => [
    label,
    ...t.cells[i]!.map(formatCount),
    ...(t.rowTotals ? [formatCount(t.rowTotals[i]!)] : []),
    ...t.rates.map((r) => formatRate(r.values[i]!)),
  ]);
  if (t.colTotals) {
    rows.push([
      "合計",
      ...t.colTotals.map(formatCount),
      ...(t.rowTotals ? [t.grandTotal === undefined ? "" : formatCount(t.grandTotal)] : []),
      ...t.rates.map(() => ""),
    ]);
  }
  return [header, ...rows];
}

export const MAX_PERIOD_DAYS = 731;

/** ?from=&to= from the URL; anything missing or malformed means the last 30 days up to `today`. */
export function readPeriod(params: URLSearchParams, today: string): Period & { error?: string } {
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const fallback = { from: addDays(today, -29), to: today };
  if (!from && !to) return fallback;
  if (!isCalendarDate(from) || !isCalendarDate(to)) {
    return { ...fallback, error: "期間の日付が正しくありません。直近30日間を表示しています。" };
  }
  if (from > to) return { ...fallback, error: "開始日が終了日より後になっています。直近30日間を表示しています。" };
  if (addDays(from, MAX_PERIOD_DAYS - 1) < to) {
    return {
      from: addDays(to, -(MAX_PERIOD_DAYS - 1)),
      to,
      error: "期間は最長2年です。終了日から2年間を表示しています。",
    };
  }
  return { from, to };
}

/** Every day of the period, oldest first. */
export function daysOf(p: Period): string[] {
  const out: string[] = [];
  for (let d = p.from; d <= p.to; d = addDays(d, 1)) out.push(d);
  return out;
}
