import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray, isNotNull, or } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import {
  reportFollowers,
  reportSettings,
  reports,
  type Open311Key,
  type Report,
  type ReportBounds,
} from "#db/schema/index";
import {
  CLOSED_STATES,
  cityCategories,
  distanceMetres,
  NEARBY_METRES,
  newReportNumber,
  type Point,
} from "./categories";
import { attachPhotos, purgePendingPhotos } from "./photo-store.server";

/**
 * Reports from residents (issue 17): creating one (from the LINE dialog, the web form or Open311),
 * finding open ones nearby, following one, and a friend's own list. The caller's transaction is a
 * withTenant one (RLS); everything a report needs is written in it.
 */
export type CityReportSettings = {
  categories: string[];
  /** The city's own list as saved (null: the default list). */
  ownCategories: string[] | null;
  bounds: ReportBounds | null;
  open311Keys: Open311Key[];
};

export async function reportSettingsOf(tx: DbOrTx, tenantId: string): Promise<CityReportSettings> {
  const [row] = await tx.select().from(reportSettings).where(eq(reportSettings.tenantId, tenantId));
  return {
    categories: cityCategories(row?.categories),
    ownCategories: row?.categories ?? null,
    bounds: row?.bounds ?? null,
    open311Keys: row?.open311Keys ?? [],
  };
}

export async function saveReportSettings(
  tx: DbOrTx,
  tenantId: string,
  patch: Partial<{ categories: string[] | null; bounds: ReportBounds | null; open311Keys: Open311Key[] }>,
) {
  await tx
    .insert(reportSettings)
    .values({ tenantId, ...patch })
    .onConflictDoUpdate({ target: reportSettings.tenantId, set: { ...patch, updatedAt: new Date() } });
}

export type NewReport = {
  category: string;
  point: Point | null;
  area: string | null;
  landmark: string | null;
  description: string;
  source: "line" | "web" | "open311";
  reporterLineUserId?: string | null;
  reporterEmail?: string | null;
  photoIds?: string[];
};

export async function createReport(tx: DbOrTx, tenantId: string, input: NewReport): Promise<Report> {
  // A random 受付番号 collides about never; a collision is retried rather than failing the report.
  for (let attempt = 0; ; attempt++) {
    const number = newReportNumber((n) => randomBytes(n));
    const [row] = await tx
      .insert(reports)
      .values({
        tenantId,
        number,
        category: input.category,
        latitude: input.point?.latitude ?? null,
        longitude: input.point?.longitude ?? null,
        area: input.area,
        landmark: input.landmark,
        description: input.description,
        source: input.source,
        reporterLineUserId: input.reporterLineUserId ?? null,
        reporterEmail: input.reporterEmail ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (row) {
      if (input.reporterLineUserId && input.photoIds?.length)
        await attachPhotos(tx, tenantId, input.photoIds, input.reporterLineUserId, row.id);
      return row;
    }
    if (attempt >= 5) throw new Error("could not allocate a report number");
  }
}

/** Open reports of the category within ~50 m of the point, nearest first (at most 3). */
export async function nearbyOpenReports(
  tx: DbOrTx,
  tenantId: string,
  category: string,
  point: Point,
): Promise<(Pick<Report, "id" | "number" | "state" | "createdAt"> & { metres: number })[]> {
  // A degree box first (cheap, indexed by tenant/state), the exact distance after.
  const dLat = 0.001;
  const dLng = 0.0013;
  const rows = await tx
    .select({
      id: reports.id,
      number: reports.number,
      state: reports.state,
      createdAt: reports.createdAt,
      latitude: reports.latitude,
      longitude: reports.longitude,
    })
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.category, category), isNotNull(reports.latitude)));
  return rows
    .filter((r) => !(CLOSED_STATES as readonly string[]).includes(r.state))
    .filter((r) => Math.abs(r.latitude! - point.latitude) < dLat && Math.abs(r.longitude! - point.longitude) < dLng)
    .map((r) => ({ ...r, metres: distanceMetres(point, { latitude: r.latitude!, longitude: r.longitude! }) }))
    .filter((r) => r.metres <= NEARBY_METRES)
    .sort((a, b) => a.metres - b.metres)
    .slice(0, 3);
}

export async function followReport(tx: DbOrTx, tenantId: string, reportId: string, lineUserId: string) {
  const [report] = await tx
    .select({ id: reports.id, number: reports.number })
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId)));
  if (!report) return null;
  await tx.insert(reportFollowers).values({ tenantId, reportId, lineUserId }).onConflictDoNothing();
  return report;
}

/** A friend's reports and the ones they follow, newest first. */
export async function friendReports(tx: DbOrTx, tenantId: string, lineUserId: string, limit = 10) {
  const followed = tx
    .select({ id: reportFollowers.reportId })
    .from(reportFollowers)
    .where(and(eq(reportFollowers.tenantId, tenantId), eq(reportFollowers.lineUserId, lineUserId)));
  return tx
    .select({
      id: reports.id,
      number: reports.number,
      category: reports.category,
      state: reports.state,
      createdAt: reports.createdAt,
    })
    .from(reports)
    .where(
      and(
        eq(reports.tenantId, tenantId),
        or(eq(reports.reporterLineUserId, lineUserId), inArray(reports.id, followed)),
      ),
    )
    .orderBy(desc(reports.createdAt))
    .limit(limit);
}

/** The settings outside a transaction (staff pages, Open311). */
export function cityReportSettings(db: Db, tenantId: string): Promise<CityReportSettings> {
  return withTenant(db, tenantId, (tx) => reportSettingsOf(tx, tenantId));
}

/**
 * Photos of report dialogs that never reached 送信 (expired, or ended by 「やめる」 through the
 * engine), a day after they were sent: run by the daily purge-conversation job.
 */
export function purgeAbandonedPhotos(db: Db, tenantId: string, now = new Date()): Promise<number> {
  return withTenant(db, tenantId, (tx) => purgePendingPhotos(tx, tenantId, new Date(now.getTime() - 86_400_000)));
}
