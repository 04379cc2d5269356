import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { lineFriendSnapshots, lineFriends, type LineFriendSnapshot } from "#db/schema/index";

/**
 * Friend counts for the city dashboard: one snapshot per Japan-time day, overwritten if taken twice
 * (so a retried or doubled scheduler run changes nothing). Call inside withTenant.
 */
export async function takeFriendSnapshot(tx: DbOrTx, tenantId: string, day: string, now = new Date()) {
  const rows = await tx
    .select({
      status: lineFriends.status,
      ageBand: lineFriends.ageBand,
      gender: lineFriends.gender,
      area: lineFriends.area,
      n: sql<number>`count(*)::int`,
    })
    .from(lineFriends)
    .where(eq(lineFriends.tenantId, tenantId))
    .groupBy(lineFriends.status, lineFriends.ageBand, lineFriends.gender, lineFriends.area);
  let following = 0;
  let blocked = 0;
  const byAgeBand: Record<string, number> = {};
  const byGender: Record<string, number> = {};
  const byArea: Record<string, number> = {};
  const add = (m: Record<string, number>, k: string | null, n: number) =>
    (m[k ?? "unknown"] = (m[k ?? "unknown"] ?? 0) + n);
  for (const r of rows) {
    if (r.status === "blocked") {
      blocked += r.n;
      continue;
    }
    following += r.n;
    add(byAgeBand, r.ageBand, r.n);
    add(byGender, r.gender, r.n);
    add(byArea, r.area, r.n);
  }
  const values = { tenantId, day, following, blocked, byAgeBand, byGender, byArea, takenAt: now };
  await tx
    .insert(lineFriendSnapshots)
    .values(values)
    .onConflictDoUpdate({
      target: [lineFriendSnapshots.tenantId, lineFriendSnapshots.day],
      set: { following, blocked, byAgeBand, byGender, byArea, takenAt: now },
    });
  return values;
}

/** The newest `days` snapshots, newest first. */
export async function recentSnapshots(tx: DbOrTx, tenantId: string, days = 14): Promise<LineFriendSnapshot[]> {
  return tx
    .select()
    .from(lineFriendSnapshots)
    .where(and(eq(lineFriendSnapshots.tenantId, tenantId)))
    .orderBy(desc(lineFriendSnapshots.day))
    .limit(days);
}

export type Breakdown = { title: string; rows: { label: string; count: number }[] };
export type FriendDashboard = {
  latest: { day: string; following: number; blocked: number; breakdowns: Breakdown[] } | null;
  /** Oldest first, for the trend. */
  trend: { day: string; following: number; blocked: number }[];
};

const UNKNOWN = "未回答";

function rowsFrom(counts: Record<string, number>, order: { value: string; label: string }[]) {
  const known = order.map((o) => ({ label: o.label, count: counts[o.value] ?? 0 }));
  const extra = Object.entries(counts)
    .filter(([k]) => !order.some((o) => o.value === k))
    .map(([k, count]) => ({ label: k === "unknown" ? UNKNOWN : k, count }));
  return [...known, ...extra];
}

/** The view model of the dashboard section: labels in Japanese, areas in the city's own order. */
export function friendDashboard(
  snapshots: LineFriendSnapshot[],
  labels: {
    ageBands: { value: string; label: string }[];
    genders: { value: string; label: string }[];
    areas: string[];
  },
): FriendDashboard {
  const [newest] = snapshots;
  // An area declined is stored as null, like one not yet answered: both count as 未回答.
  const areaOrder = labels.areas.map((a) => ({ value: a, label: a }));
  return {
    latest: newest
      ? {
          day: newest.day,
          following: newest.following,
          blocked: newest.blocked,
          breakdowns: [
            { title: "年代", rows: rowsFrom(newest.byAgeBand, labels.ageBands) },
            { title: "性別", rows: rowsFrom(newest.byGender, labels.genders) },
            { title: "地区", rows: rowsFrom(newest.byArea, areaOrder) },
          ],
        }
      : null,
    trend: [...snapshots].reverse().map((s) => ({ day: s.day, following: s.following, blocked: s.blocked })),
  };
}

/**
 * 「今すぐ集計する」 on the dashboard: today's row taken now instead of at 23:50 (the nightly run
 * overwrites it later the same day). Aggregates only, but still a staff action: audited.
 */
export async function snapshotNow(
  db: Db,
  input: { tenantId: string; staffUserId: string; ip?: string | null },
  now = new Date(),
) {
  return withTenant(db, input.tenantId, async (tx) => {
    const s = await takeFriendSnapshot(tx, input.tenantId, tokyoDateOf(now), now);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.staffUserId,
      action: "friends.snapshot",
      detail: { day: s.day },
      ip: input.ip,
    });
    return s;
  });
}
