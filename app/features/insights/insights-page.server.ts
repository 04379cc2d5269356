import type { Db } from "#db/client.server";
import { recordAudit } from "~/features/audit/audit.server";
import { withTenant } from "#db/with-tenant.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { figureRows, readPeriod, type Period } from "./figures";
import { loadInsights, type InsightsSection } from "./providers.server";

type City = { id: string; slug: string; areas: string[] };

/** The dashboard and the report: the period from the URL, every figure of the city for it. */
export async function insightsPage(db: Db, city: City, role: string, url: URL, now = new Date()) {
  const period = readPeriod(url.searchParams, tokyoDateOf(now));
  const sections = await loadInsights(db, {
    tenantId: city.id,
    citySlug: city.slug,
    period: { from: period.from, to: period.to },
    role,
    areas: city.areas,
  });
  return { period, sections };
}

/**
 * The CSV of one figure (?figure=) or of all (the report): exactly the rows of the data tables, hidden
 * counts as 「10人未満」. Counts only, yet an export: audited.
 */
export async function insightsCsv(
  db: Db,
  city: City,
  actor: { role: string; staffUserId: string; ip: string | null },
  url: URL,
  now = new Date(),
): Promise<{ rows: string[][]; period: Period; name: string } | null> {
  const { period, sections } = await insightsPage(db, city, actor.role, url, now);
  const only = url.searchParams.get("figure");
  const figures = sections.flatMap((s) => s.figures).filter((f) => !only || f.id === only);
  if (figures.length === 0) return null;
  const rows: string[][] = [];
  for (const f of figures) {
    if (!only) rows.push([`【${f.title}】`]);
    rows.push(...figureRows(f));
    if (!only) rows.push([]);
  }
  await withTenant(db, city.id, (tx) =>
    recordAudit(tx, {
      tenantId: city.id,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "insights.export",
      targetType: "insights",
      targetId: only ?? "report",
      detail: { from: period.from, to: period.to },
      ip: actor.ip,
    }),
  );
  return { rows, period: { from: period.from, to: period.to }, name: only ? figures[0]!.title : "議会報告" };
}

export type { InsightsSection };
