import { asc, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { tenants } from "#db/schema/index";
import { usageMonth } from "~/features/usage/record.server";
import { encodeCsv, safeFileName, toCsv, type CsvEncoding } from "~/lib/csv.server";

/**
 * Usage per city per Japan-time month, from usage_report() (counts only, across cities, see the
 * billing SQL migration): LINE friends following at the month's end (now, for the current month),
 * LINE messages sent (per recipient, as LINE bills; recorded by the senders), reservations made in
 * the month, broadcasts sent.
 */

export type UsageRow = {
  tenantId: string;
  friends: number;
  reservations: number;
  lineMessages: number;
  broadcasts: number;
};
export type NamedUsageRow = UsageRow & { name: string; slug: string };

type Raw = {
  tenant_id: string;
  friends: string | number;
  reservations: string | number;
  line_messages: string | number;
  broadcasts: string | number;
};
const toRow = (r: Raw): UsageRow => ({
  tenantId: r.tenant_id,
  friends: Number(r.friends),
  reservations: Number(r.reservations),
  lineMessages: Number(r.line_messages),
  broadcasts: Number(r.broadcasts),
});

/** `month` is the first day, e.g. "2026-11-01". */
export async function usageForMonth(db: DbOrTx, month: string, tenantId?: string): Promise<UsageRow[]> {
  const rows = (await db.execute(
    sql`select * from usage_report(${month}::date, ${tenantId ?? null}::uuid)`,
  )) as unknown as Raw[];
  return rows.map(toRow);
}

/** Every city's usage in a month, by city name. */
export async function usageReport(db: DbOrTx, month: string): Promise<NamedUsageRow[]> {
  const [rows, cities] = await Promise.all([
    usageForMonth(db, month),
    db.select({ id: tenants.id, name: tenants.name, slug: tenants.slug }).from(tenants).orderBy(asc(tenants.name)),
  ]);
  const byId = new Map(rows.map((r) => [r.tenantId, r]));
  return cities.map((c) => ({
    ...(byId.get(c.id) ?? { tenantId: c.id, friends: 0, reservations: 0, lineMessages: 0, broadcasts: 0 }),
    name: c.name,
    slug: c.slug,
  }));
}

/** The last `count` months of one city, newest first. */
export async function cityUsageHistory(
  db: DbOrTx,
  tenantId: string,
  count = 6,
  now = new Date(),
): Promise<(UsageRow & { month: string })[]> {
  const out: (UsageRow & { month: string })[] = [];
  for (const month of recentMonths(count, now)) {
    const [row] = await usageForMonth(db, month, tenantId);
    if (row) out.push({ ...row, month });
  }
  return out;
}

/** First days of the last `count` Japan-time months, newest first: ["2026-11-01", "2026-10-01", …]. */
export function recentMonths(count: number, now = new Date()): string[] {
  const [y, m] = usageMonth(now).split("-").map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-01`;
  });
}

const HEADER = ["対象月", "自治体", "URL用の名前", "LINE友だち数", "LINE送信数（受信者数）", "予約数", "一斉配信数"];

/** The usage table as CSV bytes (UTF-8 with BOM for Excel, or Shift_JIS). */
export function usageCsv(month: string, rows: readonly NamedUsageRow[], encoding: CsvEncoding = "utf-8") {
  const text = toCsv([
    HEADER,
    ...rows.map((r) => [month.slice(0, 7), r.name, r.slug, r.friends, r.lineMessages, r.reservations, r.broadcasts]),
  ]);
  return encodeCsv(text, encoding).bytes;
}

export function usageFileNames(month: string, cityName?: string) {
  const m = month.slice(0, 7);
  return cityName
    ? { filename: safeFileName(`利用状況_${cityName}_${m}.csv`), ascii: `usage_${m}.csv` }
    : { filename: safeFileName(`利用状況_全自治体_${m}.csv`), ascii: `usage_all_${m}.csv` };
}
