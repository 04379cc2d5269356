import { eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { disasterModes, tenants } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit, recordVendorAudit } from "~/features/audit/audit.server";
import { switchRichMenu, type RichMenuDeps } from "~/features/line-richmenu/publish.server";
import { HAZARD_LABELS, isHazard, type Hazard } from "./hazards";

/**
 * Disaster mode (issue 18.4, ADR 058): one switch per city with a hazard. On: the disaster rich menu
 * becomes every friend's default (one call per city), the resident pages show a banner, shelter
 * answers keep only places safe for the hazard, and staff are offered a 防災 broadcast. Off: the
 * everyday menu comes back and everything else follows from the row being gone. The mode is stored
 * first (answers must change even if LINE is slow); the menu outcome is reported beside it.
 */
export type ModeActor = { staffUserId: string; ip?: string | null } | { vendorUserId: string; ip?: string | null };
export type ModeOutcome = { ok: true; message: string; menu: { ok: boolean; message: string } };

export async function getDisasterMode(db: Db, tenantId: string) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx.select().from(disasterModes).where(eq(disasterModes.tenantId, tenantId));
    return row ?? null;
  });
}

export async function setDisasterMode(
  deps: RichMenuDeps,
  tenant: { id: string; slug: string },
  hazard: Hazard | null,
  actor: ModeActor,
): Promise<ModeOutcome> {
  const by =
    "vendorUserId" in actor
      ? { actorKind: "vendor" as const, actorId: actor.vendorUserId }
      : { actorKind: "staff" as const, actorId: actor.staffUserId };
  const changed = await withTenant(deps.db, tenant.id, async (tx) => {
    const [before] = await tx.select().from(disasterModes).where(eq(disasterModes.tenantId, tenant.id));
    if (hazard === null) {
      if (!before) return false;
      await tx.delete(disasterModes).where(eq(disasterModes.tenantId, tenant.id));
    } else {
      await tx
        .insert(disasterModes)
        .values({ tenantId: tenant.id, hazard, startedBy: by.actorKind === "vendor" ? "vendor" : "city" })
        .onConflictDoUpdate({ target: disasterModes.tenantId, set: { hazard } });
    }
    await recordAudit(tx, {
      tenantId: tenant.id,
      ...by,
      action: hazard ? "disaster.on" : "disaster.off",
      detail: { hazard, before: before?.hazard ?? null },
      ip: actor.ip,
    });
    // The menu is already right when only the hazard changed (津波 → 洪水).
    return !before || hazard === null;
  });
  const menu = changed
    ? await switchRichMenu(deps, { tenant, to: hazard ? "disaster" : "default", actor })
    : { ok: true, message: "災害用メニューを表示中です。" };
  const message = hazard
    ? `災害モードを開始しました（${HAZARD_LABELS[hazard]}）。避難所の案内は${HAZARD_LABELS[hazard]}に対応した避難所だけになります。`
    : "災害モードを終了しました。";
  return { ok: true, message, menu };
}

/**
 * The vendor's many-cities switch (issue 18.5): the chosen cities only, one after another (each
 * city's menu is its own channel's call); the others are not read. Each city's own switch still works.
 */
export async function setDisasterModeForCities(
  deps: RichMenuDeps,
  tenantIds: readonly string[],
  hazard: Hazard | null,
  actor: { vendorUserId: string; ip?: string | null },
) {
  if (tenantIds.length === 0) return [];
  const cities = await deps.db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .where(inArray(tenants.id, [...tenantIds]));
  await recordVendorAudit(deps.db, {
    vendorUserId: actor.vendorUserId,
    action: hazard ? "disaster.on.cities" : "disaster.off.cities",
    detail: { hazard, tenantIds: cities.map((c) => c.id) },
    ip: actor.ip,
  });
  const results = [];
  for (const city of cities) {
    const out = await setDisasterMode(deps, city, hazard, actor);
    results.push({ tenantId: city.id, name: city.name, ...out });
  }
  return results;
}

/** Every city with its mode, for the vendor page. */
export async function listCityModes(db: Db) {
  const cities = await db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, prefecture: tenants.prefecture })
    .from(tenants)
    .orderBy(tenants.prefecture, tenants.name);
  const modes = new Map<string, string>();
  for (const c of cities) {
    const m = await getDisasterMode(db, c.id);
    if (m) modes.set(c.id, m.hazard);
  }
  return cities.map((c) => ({ ...c, hazard: modes.get(c.id) ?? null }));
}

/** The hazard of the city's disaster mode or null: read by the city layout for the residents' banner. */
export async function disasterHazard(db: Db, tenantId: string): Promise<Hazard | null> {
  const row = await getDisasterMode(db, tenantId);
  return row && isHazard(row.hazard) ? row.hazard : null;
}
