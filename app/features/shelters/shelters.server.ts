import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { disasterModes, shelters, tenants } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { isHazard, RECEIVING, type Hazard, type ShelterStatus } from "./hazards";

/**
 * The shelter registry's reads and writes. Distances are great-circle metres computed in SQL from
 * plain latitude/longitude columns (ADR 057): a city has tens to a few hundred shelters, so the scan
 * within one tenant is cheap and needs no extension the app role could not install.
 */
export type Shelter = typeof shelters.$inferSelect;
export type NearShelter = Pick<
  Shelter,
  | "id"
  | "name"
  | "address"
  | "latitude"
  | "longitude"
  | "status"
  | "statusChangedAt"
  | "hazards"
  | "welfare"
  | "designatedShelter"
  | "area"
> & { meters: number };

/** Great-circle metres (haversine, mean Earth radius) from a point to each shelter row. */
export const metresFrom = (lat: number, lon: number) => sql<number>`(6371008.8 * 2 * asin(sqrt(
  power(sin(radians(${shelters.latitude} - ${lat}) / 2), 2)
  + cos(radians(${lat})) * cos(radians(${shelters.latitude})) * power(sin(radians(${shelters.longitude} - ${lon}) / 2), 2)
)))`;

const nearColumns = (lat: number, lon: number) => ({
  id: shelters.id,
  name: shelters.name,
  address: shelters.address,
  latitude: shelters.latitude,
  longitude: shelters.longitude,
  status: shelters.status,
  statusChangedAt: shelters.statusChangedAt,
  hazards: shelters.hazards,
  welfare: shelters.welfare,
  designatedShelter: shelters.designatedShelter,
  area: shelters.area,
  meters: metresFrom(lat, lon).mapWith(Number),
});

/**
 * The nearest shelters a resident may go to now: open or crowded first by distance, 満 after them
 * (a last resort, never before an open one), 未開設 and 閉鎖 never; only those safe for `hazard`.
 */
export async function nearestOpen(
  tx: DbOrTx,
  tenantId: string,
  at: { latitude: number; longitude: number },
  hazard: Hazard | null,
  limit = 3,
): Promise<NearShelter[]> {
  const d = metresFrom(at.latitude, at.longitude);
  return tx
    .select(nearColumns(at.latitude, at.longitude))
    .from(shelters)
    .where(
      and(
        eq(shelters.tenantId, tenantId),
        sql`${shelters.status} in (${sql.join(
          RECEIVING.map((s) => sql`${s}`),
          sql`, `,
        )})`,
        hazard ? sql`${hazard} = any(${shelters.hazards})` : undefined,
      ),
    )
    .orderBy(sql`(${shelters.status} = 'full')`, d)
    .limit(limit);
}

/** The city's nearest shelter whatever its status (for a resident far outside the city). */
export async function nearestAny(tx: DbOrTx, tenantId: string, at: { latitude: number; longitude: number }) {
  const [row] = await tx
    .select(nearColumns(at.latitude, at.longitude))
    .from(shelters)
    .where(eq(shelters.tenantId, tenantId))
    .orderBy(metresFrom(at.latitude, at.longitude))
    .limit(1);
  return row ?? null;
}

/** The open shelters of one area (for residents who choose their area instead of sharing a location). */
export async function openInArea(tx: DbOrTx, tenantId: string, area: string, hazard: Hazard | null) {
  return tx
    .select()
    .from(shelters)
    .where(
      and(
        eq(shelters.tenantId, tenantId),
        eq(shelters.area, area),
        sql`${shelters.status} in ('open', 'crowded', 'full')`,
        hazard ? sql`${hazard} = any(${shelters.hazards})` : undefined,
      ),
    )
    .orderBy(sql`(${shelters.status} = 'full')`, asc(shelters.name))
    .limit(10);
}

export async function countShelters(tx: DbOrTx, tenantId: string) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(shelters)
    .where(eq(shelters.tenantId, tenantId));
  return row?.n ?? 0;
}

export async function listShelters(tx: DbOrTx, tenantId: string) {
  return tx
    .select()
    .from(shelters)
    .where(eq(shelters.tenantId, tenantId))
    .orderBy(asc(shelters.area), asc(shelters.name));
}

/** An id from a URL or a form: anything but a uuid is "not found", never a database error. */
export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export async function getShelter(tx: DbOrTx, tenantId: string, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await tx
    .select()
    .from(shelters)
    .where(and(eq(shelters.tenantId, tenantId), eq(shelters.id, id)));
  return row ?? null;
}

/** The active disaster hazard of a city, or null when the city is not in disaster mode. */
export async function activeHazard(tx: DbOrTx, tenantId: string): Promise<Hazard | null> {
  const [row] = await tx
    .select({ hazard: disasterModes.hazard })
    .from(disasterModes)
    .where(eq(disasterModes.tenantId, tenantId));
  return row && isHazard(row.hazard) ? row.hazard : null;
}

export async function municipalityCodeOf(db: DbOrTx, tenantId: string) {
  const [row] = await db.select({ code: tenants.municipalityCode }).from(tenants).where(eq(tenants.id, tenantId));
  return row?.code ?? null;
}

/**
 * A status change from the staff page. Two managers tapping at once both land, the later one wins,
 * and each is in the audit trail with what it replaced.
 */
export async function setShelterStatus(
  db: Db,
  tenantId: string,
  id: string,
  status: ShelterStatus,
  actor: { staffUserId: string | null; ip?: string | null },
  now = new Date(),
): Promise<Shelter | null> {
  return withTenant(db, tenantId, async (tx) => {
    const before = await getShelter(tx, tenantId, id);
    if (!before) return null;
    const [row] = await tx
      .update(shelters)
      .set({ status, statusChangedAt: now, statusChangedBy: actor.staffUserId, updatedAt: now })
      .where(and(eq(shelters.tenantId, tenantId), eq(shelters.id, id)))
      .returning();
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "shelter.status",
      targetType: "shelter",
      targetId: id,
      detail: { from: before.status, to: status },
      ip: actor.ip,
    });
    return row ?? null;
  });
}

/** 市区町村コード (5 or 6 digits; the sixth is a check digit the national data leaves out). */
export async function setMunicipalityCode(
  db: Db,
  tenantId: string,
  code: string | null,
  actor: { staffUserId: string | null; ip?: string | null },
) {
  await withTenant(db, tenantId, async (tx) => {
    await tx.update(tenants).set({ municipalityCode: code, updatedAt: new Date() }).where(eq(tenants.id, tenantId));
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "shelter.municipality_code",
      detail: { code },
      ip: actor.ip,
    });
  });
}
