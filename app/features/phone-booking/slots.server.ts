import { and, asc, eq, gt, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { services, slots, venues } from "#db/schema/index";
import { tokyoDayRange } from "~/lib/japan-time";
import { onSlotService, onSlotVenue } from "#db/joins";

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

/** The widest range staff can ask for at once: a month is what a caller plans ahead. */
export const MAX_RANGE_DAYS = 31;
/** Enough for a month at a few venues; the earliest are what a caller wants. */
const RANGE_LIMIT = 400;

export type RangeSlot = PickerSlot & { venueId: string; venueName: string };

/**
 * Slots with room in one quota over a span of days in Japan, earliest first, optionally at one
 * venue: open, of an active service at an active venue, not yet started, not full. One query on
 * slots (tenant_id, starts_at); full, closed and past slots never leave the database.
 */
export async function openSlotsInRange(
  db: Db,
  input: {
    tenantId: string;
    from: string;
    to: string;
    venueId?: string | null;
    serviceId?: string | null;
    quota: "web" | "phone";
  },
  now = new Date(),
): Promise<RangeSlot[]> {
  const start = tokyoDayRange(input.from).from;
  const end = tokyoDayRange(input.to).to;
  const room: SQL =
    input.quota === "phone"
      ? sql`${slots.phoneBooked} < ${slots.phoneCapacity}`
      : sql`${slots.webBooked} < ${slots.webCapacity}`;
  return withTenant(db, input.tenantId, (tx) =>
    tx
      .select({
        id: slots.id,
        serviceId: services.id,
        serviceName: services.name,
        venueId: venues.id,
        venueName: venues.name,
        startsAt: slots.startsAt,
        endsAt: slots.endsAt,
        webBooked: slots.webBooked,
        webCapacity: slots.webCapacity,
        phoneBooked: slots.phoneBooked,
        phoneCapacity: slots.phoneCapacity,
        open: sql<boolean>`true`,
      })
      .from(slots)
      .innerJoin(services, onSlotService)
      .innerJoin(venues, onSlotVenue)
      .where(
        and(
          eq(slots.tenantId, input.tenantId),
          gte(slots.startsAt, start),
          lt(slots.startsAt, end),
          gt(slots.startsAt, now),
          eq(slots.status, "open"),
          eq(services.active, true),
          eq(venues.active, true),
          room,
          input.venueId ? eq(slots.venueId, input.venueId) : undefined,
          input.serviceId ? eq(slots.serviceId, input.serviceId) : undefined,
        ),
      )
      .orderBy(asc(slots.startsAt), asc(venues.name), asc(services.name))
      .limit(RANGE_LIMIT),
  );
}
