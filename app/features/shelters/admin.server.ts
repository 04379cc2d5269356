import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { shelters } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import type { ShelterInput } from "./shelters.schemas";
import { getShelter, isUuid, listShelters, municipalityCodeOf } from "./shelters.server";
import { getDisasterMode } from "./disaster-mode.server";

/** The staff pages' reads and the hand edit (issue 18.1), each write audited with the fields changed. */
export async function shelterAdminPage(db: Db, tenantId: string) {
  const [rows, code, mode] = await Promise.all([
    withTenant(db, tenantId, (tx) => listShelters(tx, tenantId)),
    municipalityCodeOf(db, tenantId),
    getDisasterMode(db, tenantId),
  ]);
  return { shelters: rows, municipalityCode: code, mode };
}

export async function shelterForEdit(db: Db, tenantId: string, id: string) {
  return withTenant(db, tenantId, (tx) => getShelter(tx, tenantId, id));
}

type Actor = { staffUserId: string; ip?: string | null };

export async function saveShelter(db: Db, tenantId: string, id: string | null, input: ShelterInput, actor: Actor) {
  if (id !== null && !isUuid(id)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const now = new Date();
    const [row] = id
      ? await tx
          .update(shelters)
          .set({ ...input, updatedAt: now })
          .where(and(eq(shelters.tenantId, tenantId), eq(shelters.id, id)))
          .returning({ id: shelters.id })
      : await tx
          .insert(shelters)
          .values({ ...input, tenantId, evacuationSite: input.hazards.length > 0 })
          .returning({ id: shelters.id });
    if (!row) return null;
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: id ? "shelter.update" : "shelter.create",
      targetType: "shelter",
      targetId: row.id,
      detail: { name: input.name, hazards: input.hazards },
      ip: actor.ip,
    });
    return row.id;
  });
}
