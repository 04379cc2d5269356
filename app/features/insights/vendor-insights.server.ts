import type { Db } from "#db/client.server";
import { recentMonths, usageReport, type NamedUsageRow } from "~/features/billing/usage.server";
import { safeFigure, type Figure, type RawFigure } from "./figures";

/**
 * The vendor's insights across cities (issue 20): friends, bookings and LINE messages per city and
 * month, from the usage ledger the billing already keeps (usage_report(), counts only), through the
 * same k-anonymity as the cities' own figures.
 */
export async function vendorInsights(db: Db, months = 12, now = new Date()): Promise<Figure[]> {
  const list = recentMonths(months, now).reverse(); // oldest first, for the trend
  const reports: NamedUsageRow[][] = [];
  for (const m of list) reports.push(await usageReport(db, m)); // one at a time: the box is shared
  const latest = reports.at(-1) ?? [];
  const cities = latest.map((c) => c.name);
  const monthLabel = (m: string) => m.slice(0, 7);
  const trend = (id: string, title: string, pick: (r: NamedUsageRow) => number): RawFigure => ({
    id,
    title,
    description: "自治体ごとの月別の値（友だち数は月末時点、当月は現在）。",
    chart: "line",
    rowHeader: "月",
    table: {
      rows: list.map(monthLabel),
      cols: cities.map((c) => ({ label: c, sum: true })),
      cells: reports.map((rows) =>
        cities.map((c) => pick(rows.find((r) => r.name === c) ?? ({} as NamedUsageRow)) ?? 0),
      ),
      rowTotals: true,
    },
  });
  const raw: RawFigure[] = [
    {
      id: "cities",
      title: `自治体別の利用状況（${monthLabel(list.at(-1) ?? "")}）`,
      description: "今月の友だち数・予約数・LINE送信数（受信者ごと）と一斉配信の回数。",
      chart: "bar",
      rowHeader: "自治体",
      table: {
        rows: cities,
        cols: [
          { label: "LINE友だち" },
          { label: "予約" },
          { label: "LINE送信" },
          { label: "一斉配信（回）", capacity: true },
        ],
        cells: latest.map((r) => [r.friends, r.reservations, r.lineMessages, r.broadcasts]),
        colTotals: true,
      },
    },
    trend("vendor-friends", "LINE友だち数の推移（自治体別）", (r) => r.friends),
    trend("vendor-bookings", "予約数の推移（自治体別）", (r) => r.reservations),
    trend("vendor-messages", "LINE送信数の推移（自治体別）", (r) => r.lineMessages),
  ];
  return raw.map(safeFigure);
}
