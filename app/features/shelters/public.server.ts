import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { shelters } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { activeHazard, metresFrom } from "./shelters.server";

/**
 * The resident page's shelters (issue 18.3): every shelter of the city with its live status, by area;
 * with `at` (the browser's position, sent only when the resident asked) sorted by distance in SQL.
 * In disaster mode only places safe for the hazard are listed. Public data: no staff note or phone.
 */
export type PublicShelter = {
  id: string;
  name: string;
  address: string;
  area: string | null;
  status: string;
  statusChangedAt: Date | null;
  hazards: string[];
  welfare: boolean;
  latitude: number;
  longitude: number;
  meters: number | null;
};

export async function publicShelters(
  db: Db,
  tenantId: string,
  at: { latitude: number; longitude: number } | null,
): Promise<{ hazard: string | null; shelters: PublicShelter[] }> {
  return withTenant(db, tenantId, async (tx) => {
    const hazard = await activeHazard(tx, tenantId);
    const meters = at ? metresFrom(at.latitude, at.longitude).mapWith(Number) : sql<null>`null`;
    const rows = await tx
      .select({
        id: shelters.id,
        name: shelters.name,
        address: shelters.address,
        area: shelters.area,
        status: shelters.status,
        statusChangedAt: shelters.statusChangedAt,
        hazards: shelters.hazards,
        welfare: shelters.welfare,
        latitude: shelters.latitude,
        longitude: shelters.longitude,
        meters,
      })
      .from(shelters)
      .where(and(eq(shelters.tenantId, tenantId), hazard ? sql`${hazard} = any(${shelters.hazards})` : undefined))
      .orderBy(...(at ? [meters] : [asc(shelters.area), asc(shelters.name)]))
      .limit(1000);
    return { hazard, shelters: rows };
  });
}

/** A position from the query (?lat=&lon=), or null when absent or not a point in Japan. */
export function readPosition(url: URL): { latitude: number; longitude: number } | null {
  const lat = Number(url.searchParams.get("lat"));
  const lon = Number(url.searchParams.get("lon"));
  if (!url.searchParams.has("lat") || !url.searchParams.has("lon")) return null;
  return lat >= 20 && lat <= 46 && lon >= 122 && lon <= 154 ? { latitude: lat, longitude: lon } : null;
}
