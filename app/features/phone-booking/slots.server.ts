import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { services, slots, venues } from "#db/schema/index";
import { tokyoDayRange } from "~/lib/japan-time";
import { onSlotService } from "#db/joins";

/** Venues and slots for the phone-booking picker. No personal data here, so nothing to audit. */

export async function listActiveVenues(db: Db, tenantId: string) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({ id: venues.id, name: venues.name })
      .from(venues)
      .where(and(eq(venues.tenantId, tenantId), eq(venues.active, true)))
      .orderBy(asc(venues.name)),
  );
}

export type PickerSlot = {
  id: string;
  serviceId: string;
  serviceName: string;
  startsAt: Date;
  endsAt: Date;
  webBooked: number;
  webCapacity: number;
  phoneBooked: number;
  phoneCapacity: number;
  open: boolean;
};

/** One venue's slots on one day in Japan, with both quotas (staff see web and phone side by side). */
export async function slotsForVenueDay(
  db: Db,
  input: { tenantId: string; venueId: string; date: string },
): Promise<PickerSlot[]> {
  const { from, to } = tokyoDayRange(input.date);
  const rows = await withTenant(db, input.tenantId, (tx) =>
    tx
      .select({
        id: slots.id,
        serviceId: services.id,
        serviceName: services.name,
        startsAt: slots.startsAt,
        endsAt: slots.endsAt,
        webBooked: slots.webBooked,
        webCapacity: slots.webCapacity,
        phoneBooked: slots.phoneBooked,
        phoneCapacity: slots.phoneCapacity,
        status: slots.status,
        serviceActive: services.active,
      })
      .from(slots)
      .innerJoin(services, onSlotService)
      .where(
        and(
          eq(slots.tenantId, input.tenantId),
          eq(slots.venueId, input.venueId),
          gte(slots.startsAt, from),
          lt(slots.startsAt, to),
        ),
      )
      .orderBy(asc(slots.startsAt), asc(services.name)),
  );
  return rows.map(({ status, serviceActive, ...s }) => ({ ...s, open: status === "open" && serviceActive }));
}
