import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { shelters } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { decodeCsvBytes } from "~/lib/csv.server";
import { readGsiCsv, type GsiProblem } from "./gsi-csv";
import { municipalityCodeOf } from "./shelters.server";

/**
 * Importing the national shelter data into one city: every row of the city's municipality is
 * inserted or updated by its 共通ID in one transaction. What the data says (name, address, position,
 * hazards, kind) follows the file; what the city keeps (area, note, phone, live status) is never
 * overwritten, and rows the file no longer lists stay (the city deletes them by hand if it wants).
 */
export type ImportOutcome =
  | { ok: true; imported: number; inserted: number; otherMunicipality: number; encoding: string }
  | { ok: false; problems: GsiProblem[] };

export async function importShelters(
  db: Db,
  tenantId: string,
  bytes: Uint8Array,
  actor: { staffUserId: string | null; ip?: string | null },
  now = new Date(),
): Promise<ImportOutcome> {
  const code = await municipalityCodeOf(db, tenantId);
  if (!code)
    return {
      ok: false,
      problems: [
        { line: 0, message: "先に市区町村コードを設定してください（取り込むデータを絞り込むのに使います）。" },
      ],
    };
  const { text, encoding } = decodeCsvBytes(bytes);
  const read = readGsiCsv(text, code);
  if (!read.ok) return read;
  return withTenant(db, tenantId, async (tx) => {
    let inserted = 0;
    // Chunks keep each statement's parameter count far below PostgreSQL's 65,535.
    for (let i = 0; i < read.shelters.length; i += 500) {
      const rows = await tx
        .insert(shelters)
        .values(
          read.shelters.slice(i, i + 500).map((s) => ({
            tenantId,
            gsiId: s.gsiId,
            name: s.name,
            address: s.address,
            latitude: s.latitude,
            longitude: s.longitude,
            hazards: s.hazards,
            evacuationSite: s.evacuationSite,
            designatedShelter: s.designatedShelter,
            welfare: s.welfare ?? false,
            capacity: s.capacity,
            area: s.area,
            importedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: [shelters.tenantId, shelters.gsiId],
          set: {
            name: sql`excluded.name`,
            address: sql`excluded.address`,
            latitude: sql`excluded.latitude`,
            longitude: sql`excluded.longitude`,
            hazards: sql`excluded.hazards`,
            evacuationSite: sql`excluded.evacuation_site`,
            designatedShelter: sql`excluded.designated_shelter`,
            // Columns the file may lack: a file without them keeps what the city set.
            welfare: read.shelters[0]?.welfare === null ? sql`${shelters.welfare}` : sql`excluded.welfare`,
            capacity: sql`coalesce(excluded.capacity, ${shelters.capacity})`,
            area: sql`coalesce(${shelters.area}, excluded.area)`,
            importedAt: now,
            updatedAt: now,
          },
        })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      inserted += rows.filter((r) => r.inserted).length;
    }
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "shelter.import",
      detail: { imported: read.shelters.length, inserted, otherMunicipality: read.otherMunicipality, encoding },
      ip: actor.ip,
    });
    return { ok: true, imported: read.shelters.length, inserted, otherMunicipality: read.otherMunicipality, encoding };
  });
}
