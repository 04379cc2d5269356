import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { services, type Service } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import type { ServiceInput } from "./services.schemas";

/** The staff member making a change, for the audit trail. */
export type StaffActor = { staffUserId: string; ip?: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids come from URLs: anything that is not a uuid is simply "not found", never a database error. */
export const isUuid = (id: string) => UUID.test(id);

export function listServices(db: Db, tenantId: string): Promise<Service[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(services)
      .where(eq(services.tenantId, tenantId))
      .orderBy(desc(services.active), asc(services.createdAt)),
  );
}

export async function getService(db: Db, tenantId: string, serviceId: string): Promise<Service | null> {
  if (!isUuid(serviceId)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(services)
      .where(and(eq(services.tenantId, tenantId), eq(services.id, serviceId)));
    return row ?? null;
  });
}

export async function createService(
  db: Db,
  tenantId: string,
  input: ServiceInput,
  actor: StaffActor,
): Promise<Service> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .insert(services)
      .values({ tenantId, ...input })
      .returning();
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "service.create",
      targetType: "service",
      targetId: row!.id,
      detail: { name: input.name },
      ip: actor.ip,
    });
    return row!;
  });
}

// The fields a staff member can change; the audit names the ones that did change.
const EDITABLE = [
  "name",
  "description",
  "doses",
  "minIntervalDays",
  "ageReferenceDate",
  "phases",
  "bookingWindowDays",
  "changeCutoffHours",
  "whatToBring",
  "reminders",
  "active",
] as const;

export async function updateService(
  db: Db,
  tenantId: string,
  serviceId: string,
  input: ServiceInput,
  actor: StaffActor,
): Promise<{ ok: true } | { ok: false; message: string }> {
  if (!isUuid(serviceId)) return { ok: false, message: "サービスが見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    const [before] = await tx
      .select()
      .from(services)
      .where(and(eq(services.tenantId, tenantId), eq(services.id, serviceId)))
      .for("update");
    if (!before) return { ok: false as const, message: "サービスが見つかりません。" };
    const changed = EDITABLE.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(input[k]));
    if (changed.length === 0) return { ok: true as const };
    await tx
      .update(services)
      .set(input)
      .where(and(eq(services.tenantId, tenantId), eq(services.id, serviceId)));
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "service.update",
      targetType: "service",
      targetId: serviceId,
      detail: { changed },
      ip: actor.ip,
    });
    return { ok: true as const };
  });
}
