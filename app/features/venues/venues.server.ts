import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { venues, type Venue } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { isUuid, type StaffActor } from "~/features/services/services.server";
import type { VenueInput } from "./venues.schemas";

export function listVenues(db: Db, tenantId: string): Promise<Venue[]> {
  return withTenant(db, tenantId, (tx) =>
    tx.select().from(venues).where(eq(venues.tenantId, tenantId)).orderBy(desc(venues.active), asc(venues.name)),
  );
}

export async function getVenue(db: Db, tenantId: string, venueId: string): Promise<Venue | null> {
  if (!isUuid(venueId)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(venues)
      .where(and(eq(venues.tenantId, tenantId), eq(venues.id, venueId)));
    return row ?? null;
  });
}

export async function createVenue(db: Db, tenantId: string, input: VenueInput, actor: StaffActor): Promise<Venue> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .insert(venues)
      .values({ tenantId, ...input })
      .returning();
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "venue.create",
      targetType: "venue",
      targetId: row!.id,
      detail: { name: input.name },
      ip: actor.ip,
    });
    return row!;
  });
}

const EDITABLE = ["name", "address", "lat", "lng", "accessNotes", "barrierFreeNotes", "active"] as const;

export async function updateVenue(
  db: Db,
  tenantId: string,
  venueId: string,
  input: VenueInput,
  actor: StaffActor,
): Promise<{ ok: true } | { ok: false; message: string }> {
  if (!isUuid(venueId)) return { ok: false, message: "会場が見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    const [before] = await tx
      .select()
      .from(venues)
      .where(and(eq(venues.tenantId, tenantId), eq(venues.id, venueId)))
      .for("update");
    if (!before) return { ok: false as const, message: "会場が見つかりません。" };
    const changed = EDITABLE.filter((k) => before[k] !== input[k]);
    if (changed.length === 0) return { ok: true as const };
    await tx
      .update(venues)
      .set(input)
      .where(and(eq(venues.tenantId, tenantId), eq(venues.id, venueId)));
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "venue.update",
      targetType: "venue",
      targetId: venueId,
      detail: { changed },
      ip: actor.ip,
    });
    return { ok: true as const };
  });
}
