import { and, asc, eq, gt, gte, inArray, lte, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import {
  reservations,
  services,
  slots,
  ticketHolders,
  venues,
  type BookingChannel,
  type QuotaKind,
} from "#db/schema/index";
import { earliestNextDose, eligibility } from "./eligibility";
import { onReservationService, onReservationSlot, onSlotService, onSlotVenue } from "#db/joins";

/**
 * Read queries of the resident pages: services, venues and slots with live availability, and a
 * holder's own reservations. Every query runs inside withTenant and names tenant_id in its WHERE
 * (RLS is the second line, ADR 005). Availability is read from the slot counters, which the booking
 * engine keeps exact; a seat shown here can still be taken by someone else before "予約する", and
 * the engine then answers "full".
 */

export type ServiceSummary = {
  id: string;
  name: string;
  description: string;
  doses: number;
  minIntervalDays: number;
  bookingWindowDays: number;
  changeCutoffHours: number;
  whatToBring: string;
};

const serviceColumns = {
  id: services.id,
  name: services.name,
  description: services.description,
  doses: services.doses,
  minIntervalDays: services.minIntervalDays,
  bookingWindowDays: services.bookingWindowDays,
  changeCutoffHours: services.changeCutoffHours,
  whatToBring: services.whatToBring,
};

export async function activeServices(db: Db, tenantId: string): Promise<ServiceSummary[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select(serviceColumns)
      .from(services)
      .where(and(eq(services.tenantId, tenantId), eq(services.active, true)))
      .orderBy(asc(services.createdAt)),
  );
}

export async function activeService(db: Db, tenantId: string, serviceId: string): Promise<ServiceSummary | null> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select(serviceColumns)
      .from(services)
      .where(and(eq(services.tenantId, tenantId), eq(services.id, serviceId), eq(services.active, true))),
  );
  return rows[0] ?? null;
}

/** The time range in which a holder may book (or move) a dose, and whether they may book at all. */
export type DoseWindow = {
  service: ServiceSummary;
  /** The dose this booking would be (for a change: the dose being moved). */
  dose: number;
  allDone: boolean;
  eligible: { ok: true } | { ok: false; opensAt: Date | null };
  /** Slots must start after `from` (exclusive: now) or at/after the previous dose's interval. */
  from: Date;
  until: Date;
};

/**
 * Mirrors the engine's checks (booking window, dose order and interval, phased opening) so the
 * pages offer only slots the engine would accept. `excludeReservationId` is the reservation being
 * moved: its own dose is kept, and the doses before and after it bound the range.
 */
export async function doseWindow(
  db: Db,
  tenantId: string,
  input: { serviceId: string; ticketHolderId: string; excludeReservationId?: string },
  now = new Date(),
): Promise<DoseWindow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [service] = await tx
      .select({ ...serviceColumns, phases: services.phases, ageReferenceDate: services.ageReferenceDate })
      .from(services)
      .where(and(eq(services.tenantId, tenantId), eq(services.id, input.serviceId), eq(services.active, true)));
    const [holder] = await tx
      .select({ birthDate: ticketHolders.birthDate })
      .from(ticketHolders)
      .where(and(eq(ticketHolders.tenantId, tenantId), eq(ticketHolders.id, input.ticketHolderId)));
    if (!service || !holder) return null;
    const active = await tx
      .select({ id: reservations.id, dose: reservations.dose, startsAt: slots.startsAt })
      .from(reservations)
      .innerJoin(slots, onReservationSlot)
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          eq(reservations.ticketHolderId, input.ticketHolderId),
          eq(reservations.serviceId, service.id),
          inArray(reservations.status, ["booked", "attended"]),
        ),
      );
    const moving = active.find((r) => r.id === input.excludeReservationId);
    const others = active.filter((r) => r.id !== input.excludeReservationId);
    const dose = moving ? moving.dose : others.length + 1;
    const { phases, ageReferenceDate, ...summary } = service;
    const previous = others.find((r) => r.dose === dose - 1);
    const following = others.find((r) => r.dose === dose + 1);
    const windowEnd = new Date(now.getTime() + service.bookingWindowDays * 24 * 3600 * 1000);
    const from = previous
      ? new Date(Math.max(now.getTime(), earliestNextDose(previous.startsAt, service.minIntervalDays).getTime() - 1))
      : now;
    const until = following
      ? new Date(
          Math.min(windowEnd.getTime(), following.startsAt.getTime() - service.minIntervalDays * 24 * 3600 * 1000),
        )
      : windowEnd;
    return {
      service: summary,
      dose,
      allDone: dose > service.doses,
      eligible: eligibility(phases, holder.birthDate, ageReferenceDate, now),
      from,
      until,
    };
  });
}

const remainingOf = (quota: QuotaKind) =>
  quota === "phone"
    ? sql<number>`${slots.phoneCapacity} - ${slots.phoneBooked}`
    : sql<number>`${slots.webCapacity} - ${slots.webBooked}`;

function slotRange(tenantId: string, range: { serviceId: string; from: Date; until: Date }) {
  return and(
    eq(slots.tenantId, tenantId),
    eq(slots.serviceId, range.serviceId),
    eq(slots.status, "open"),
    gt(slots.startsAt, range.from),
    lte(slots.startsAt, range.until),
  );
}

export type VenueAvailability = {
  id: string;
  name: string;
  address: string;
  accessNotes: string;
  barrierFreeNotes: string;
  openSlots: number;
  seats: number;
};

/** Active venues that hold slots of the service in the range, with how many slots still have room. */
export async function venuesWithAvailability(
  db: Db,
  tenantId: string,
  range: { serviceId: string; from: Date; until: Date; quota?: QuotaKind },
): Promise<VenueAvailability[]> {
  const remaining = remainingOf(range.quota ?? "web");
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select({
        id: venues.id,
        name: venues.name,
        address: venues.address,
        accessNotes: venues.accessNotes,
        barrierFreeNotes: venues.barrierFreeNotes,
        openSlots: sql<number>`count(*) filter (where ${remaining} > 0)`.mapWith(Number),
        seats: sql<number>`coalesce(sum(greatest(${remaining}, 0)), 0)`.mapWith(Number),
      })
      .from(venues)
      .innerJoin(slots, and(eq(slots.tenantId, venues.tenantId), eq(slots.venueId, venues.id)))
      .where(and(eq(venues.tenantId, tenantId), eq(venues.active, true), slotRange(tenantId, range)))
      .groupBy(venues.id)
      .orderBy(asc(venues.name));
    return rows;
  });
}

export type SlotAvailability = { id: string; startsAt: Date; endsAt: Date; remaining: number };

/** One venue's slots of the service in the range, in time order, with free seats in the quota. */
export async function slotsAtVenue(
  db: Db,
  tenantId: string,
  range: { serviceId: string; venueId: string; from: Date; until: Date; quota?: QuotaKind; excludeSlotId?: string },
) {
  const remaining = remainingOf(range.quota ?? "web");
  return withTenant(db, tenantId, async (tx) => {
    const [venue] = await tx
      .select({
        id: venues.id,
        name: venues.name,
        address: venues.address,
        accessNotes: venues.accessNotes,
        barrierFreeNotes: venues.barrierFreeNotes,
      })
      .from(venues)
      .where(and(eq(venues.tenantId, tenantId), eq(venues.id, range.venueId), eq(venues.active, true)));
    if (!venue) return null;
    const rows: SlotAvailability[] = await tx
      .select({ id: slots.id, startsAt: slots.startsAt, endsAt: slots.endsAt, remaining: remaining.mapWith(Number) })
      .from(slots)
      .where(
        and(
          slotRange(tenantId, range),
          eq(slots.venueId, venue.id),
          range.excludeSlotId ? ne(slots.id, range.excludeSlotId) : undefined,
        ),
      )
      .orderBy(asc(slots.startsAt));
    return { venue, slots: rows };
  });
}

export type SlotDetail = {
  id: string;
  serviceId: string;
  startsAt: Date;
  endsAt: Date;
  status: "open" | "closed";
  remaining: number;
  venue: { id: string; name: string; address: string; accessNotes: string; barrierFreeNotes: string };
  serviceName: string;
};

export async function slotDetail(
  db: Db,
  tenantId: string,
  slotId: string,
  quota: QuotaKind = "web",
): Promise<SlotDetail | null> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: slots.id,
        serviceId: slots.serviceId,
        startsAt: slots.startsAt,
        endsAt: slots.endsAt,
        status: slots.status,
        remaining: remainingOf(quota).mapWith(Number),
        venue: {
          id: venues.id,
          name: venues.name,
          address: venues.address,
          accessNotes: venues.accessNotes,
          barrierFreeNotes: venues.barrierFreeNotes,
        },
        serviceName: services.name,
      })
      .from(slots)
      .innerJoin(venues, onSlotVenue)
      .innerJoin(services, onSlotService)
      .where(and(eq(slots.tenantId, tenantId), eq(slots.id, slotId))),
  );
  return rows[0] ?? null;
}

export type HolderReservation = {
  id: string;
  dose: number;
  channel: BookingChannel;
  quota: QuotaKind;
  confirmationCode: string;
  serviceId: string;
  serviceName: string;
  whatToBring: string;
  changeCutoffHours: number;
  slotId: string;
  startsAt: Date;
  venue: { id: string; name: string; address: string };
  /** Set when a family member booked on the web (issue 15); their name is not shown to residents. */
  proxyRelation: string | null;
};

function reservationQuery(tx: Tx) {
  return tx
    .select({
      id: reservations.id,
      dose: reservations.dose,
      channel: reservations.channel,
      quota: reservations.quota,
      confirmationCode: reservations.confirmationCode,
      serviceId: reservations.serviceId,
      serviceName: services.name,
      whatToBring: services.whatToBring,
      changeCutoffHours: services.changeCutoffHours,
      slotId: slots.id,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      venue: { id: venues.id, name: venues.name, address: venues.address },
      ticketHolderId: reservations.ticketHolderId,
      status: reservations.status,
      proxyRelation: reservations.proxyRelation,
    })
    .from(reservations)
    .innerJoin(slots, onReservationSlot)
    .innerJoin(venues, and(eq(venues.tenantId, reservations.tenantId), eq(venues.id, slots.venueId)))
    .innerJoin(services, onReservationService)
    .$dynamic();
}

/** The holder's reservations still to come ("booked"), soonest first. No contact details: not needed to show. */
export async function activeReservationsOf(
  db: Db,
  tenantId: string,
  ticketHolderId: string,
): Promise<HolderReservation[]> {
  const rows = await withTenant(db, tenantId, (tx) =>
    reservationQuery(tx)
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          eq(reservations.ticketHolderId, ticketHolderId),
          eq(reservations.status, "booked"),
        ),
      )
      .orderBy(asc(slots.startsAt)),
  );
  return rows.map(({ ticketHolderId: _h, status: _s, ...r }) => r);
}

/** One of the holder's booked reservations, or null when it is not theirs or no longer active. */
export async function reservationOfHolder(
  db: Db,
  tenantId: string,
  ticketHolderId: string,
  reservationId: string,
): Promise<HolderReservation | null> {
  const rows = await withTenant(db, tenantId, (tx) =>
    reservationQuery(tx).where(
      and(
        eq(reservations.tenantId, tenantId),
        eq(reservations.id, reservationId),
        eq(reservations.ticketHolderId, ticketHolderId),
        eq(reservations.status, "booked"),
      ),
    ),
  );
  const row = rows[0];
  if (!row) return null;
  const { ticketHolderId: _h, status: _s, ...r } = row;
  return r;
}

/** What the "done" page shows for a confirmation code: no name, phone or e-mail. */
export async function reservationByCode(db: Db, tenantId: string, code: string) {
  const rows = await withTenant(db, tenantId, (tx) =>
    reservationQuery(tx).where(
      and(
        eq(reservations.tenantId, tenantId),
        eq(reservations.confirmationCode, code),
        eq(reservations.status, "booked"),
        gte(slots.startsAt, sql`now() - interval '1 day'`),
      ),
    ),
  );
  const row = rows[0];
  if (!row) return null;
  const { ticketHolderId: _h, status: _s, ...r } = row;
  return r;
}
