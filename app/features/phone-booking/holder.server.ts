import { and, desc, eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reservations, services, slots, staffUsers, ticketHolders, venues } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { hashTicketForTenant } from "~/features/reservations/identity.server";
import { onReservationService, onReservationSlot, onSlotVenue } from "#db/joins";

/**
 * Finding a caller on the roster and showing their reservations. Staff lookups are not rate-limited
 * like residents' (a phone line serves one caller at a time, and staff are accountable), but every
 * lookup and every view of a holder's reservations is in the audit log.
 */

export const HOLDER_NOT_FOUND =
  "接種券番号と生年月日が一致する方が見つかりません。番号と生年月日をもう一度ご確認ください。";

type Viewer = { staffUserId: string; ip?: string | null };

export type LookupResult = { ok: true; holderId: string } | { ok: false; message: string };

export async function lookupHolder(
  db: Db,
  input: { tenantId: string; ticketNumber: string; birthDate: string } & Viewer,
): Promise<LookupResult> {
  const hash = hashTicketForTenant(input.tenantId, input.ticketNumber);
  return withTenant(db, input.tenantId, async (tx) => {
    const [holder] = await tx
      .select({ id: ticketHolders.id, birthDate: ticketHolders.birthDate })
      .from(ticketHolders)
      .where(and(eq(ticketHolders.tenantId, input.tenantId), eq(ticketHolders.ticketHash, hash)));
    const found = holder !== undefined && holder.birthDate === input.birthDate;
    // Misses are audited too: repeated misses by one staff member are what an auditor looks for.
    // The ticket number itself is never written to the log, only whether it matched.
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.staffUserId,
      action: "reservation.holder.lookup",
      targetType: found ? "ticket_holder" : undefined,
      targetId: found ? holder.id : undefined,
      detail: { found },
      ip: input.ip,
    });
    return found ? { ok: true as const, holderId: holder.id } : { ok: false as const, message: HOLDER_NOT_FOUND };
  });
}

export type HolderReservation = {
  id: string;
  status: "booked" | "cancelled" | "attended" | "no_show";
  dose: number;
  channel: "web" | "line" | "phone";
  /** Which quota the seat came from; a change takes the new seat from the same quota. */
  quota: "web" | "phone";
  confirmationCode: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  proxyNote: string | null;
  bookedByStaffName: string | null;
  serviceId: string;
  serviceName: string;
  venueId: string;
  venueName: string;
  slotId: string;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
};

async function holderReservations(tx: Tx, tenantId: string, holderId: string): Promise<HolderReservation[]> {
  return tx
    .select({
      id: reservations.id,
      status: reservations.status,
      dose: reservations.dose,
      channel: reservations.channel,
      quota: reservations.quota,
      confirmationCode: reservations.confirmationCode,
      contactName: reservations.contactName,
      contactPhone: reservations.contactPhone,
      contactEmail: reservations.contactEmail,
      proxyNote: reservations.proxyNote,
      bookedByStaffName: staffUsers.displayName,
      serviceId: services.id,
      serviceName: services.name,
      venueId: venues.id,
      venueName: venues.name,
      slotId: slots.id,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      createdAt: reservations.createdAt,
    })
    .from(reservations)
    .innerJoin(slots, onReservationSlot)
    .innerJoin(services, onReservationService)
    .innerJoin(venues, onSlotVenue)
    .leftJoin(staffUsers, eq(staffUsers.id, reservations.bookedByStaffId))
    .where(and(eq(reservations.tenantId, tenantId), eq(reservations.ticketHolderId, holderId)))
    .orderBy(desc(slots.startsAt));
}

export type HolderView = {
  holder: { id: string; birthDate: string };
  reservations: HolderReservation[];
  /** Contact details of the latest reservation, to offer when booking the next dose. */
  lastContact: { name: string; phone: string; email: string } | null;
};

/** A holder and their reservations, for this city only; the view is audited. Null when not on this city's roster. */
export async function viewHolder(
  db: Db,
  input: { tenantId: string; holderId: string } & Viewer,
): Promise<HolderView | null> {
  return withTenant(db, input.tenantId, async (tx) => {
    const [holder] = await tx
      .select({ id: ticketHolders.id, birthDate: ticketHolders.birthDate })
      .from(ticketHolders)
      .where(and(eq(ticketHolders.tenantId, input.tenantId), eq(ticketHolders.id, input.holderId)));
    if (!holder) return null;
    const rows = await holderReservations(tx, input.tenantId, holder.id);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.staffUserId,
      action: "reservation.holder.view",
      targetType: "ticket_holder",
      targetId: holder.id,
      detail: { reservations: rows.length },
      ip: input.ip,
    });
    const latest = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    return {
      holder,
      reservations: rows,
      lastContact: latest ? { name: latest.contactName, phone: latest.contactPhone, email: latest.contactEmail } : null,
    };
  });
}
