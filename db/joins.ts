import { and, eq } from "drizzle-orm";
import { reservations, services, slots, venues } from "./schema/index";

/**
 * Join conditions between tenant-owned tables, always matching tenant_id as well as the id: the
 * foreign keys include tenant_id, and so does every join (ready for distribution by tenant).
 */
export const onReservationSlot = and(eq(slots.tenantId, reservations.tenantId), eq(slots.id, reservations.slotId));
export const onReservationService = and(
  eq(services.tenantId, reservations.tenantId),
  eq(services.id, reservations.serviceId),
);
export const onSlotService = and(eq(services.tenantId, slots.tenantId), eq(services.id, slots.serviceId));
export const onSlotVenue = and(eq(venues.tenantId, slots.tenantId), eq(venues.id, slots.venueId));
