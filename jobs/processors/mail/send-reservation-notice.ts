import { and, eq } from "drizzle-orm";
import { withTenant } from "#db/with-tenant.server";
import { deliveries, reservations, services, slots, tenants, venues } from "#db/schema/index";
import { buildReservationNoticeEmail } from "#emails/reservation-notice";
import { formatDateTimeJa } from "~/lib/dates";
import type { JobPayload } from "../../catalogue";
import type { MailDeps } from "./send-staff-invitation";
import { onReservationService, onReservationSlot } from "#db/joins";

/**
 * E-mails a reservation notice (confirmed / changed / cancelled / slot closed). Idempotent per
 * notice: the delivery key is the notice id written with the outbox row, so a retried job does not
 * mail twice, while a second change of the same reservation is a new notice. Residents without an
 * e-mail address are skipped here; staff see them on the call list.
 */
export async function sendReservationNotice(deps: MailDeps, payload: JobPayload<"send-reservation-notice">) {
  const deliveryKey = `notice:${payload.noticeId}`;
  const prepared = await withTenant(deps.db, payload.tenantId, async (tx) => {
    const [sent] = await tx.select().from(deliveries).where(eq(deliveries.key, deliveryKey));
    if (sent) return { skip: "already-sent" as const };
    const [row] = await tx
      .select({ r: reservations, slot: slots, venue: venues, service: services, tenant: tenants })
      .from(reservations)
      .innerJoin(slots, onReservationSlot)
      .innerJoin(venues, and(eq(venues.tenantId, reservations.tenantId), eq(venues.id, slots.venueId)))
      .innerJoin(services, onReservationService)
      .innerJoin(tenants, eq(tenants.id, reservations.tenantId))
      .where(and(eq(reservations.tenantId, payload.tenantId), eq(reservations.id, payload.reservationId)));
    if (!row) return { skip: "not-found" as const };
    if (!row.r.contactEmail) return { skip: "no-email" as const };
    return row;
  });
  if ("skip" in prepared) return prepared.skip;
  const { r, slot, venue, service, tenant } = prepared;
  const manageUrl = payload.kind === "slot-closed" || payload.kind === "cancelled" ? `${deps.appOrigin}/c/${tenant.slug}/reserve` : `${deps.appOrigin}/c/${tenant.slug}/reservation`;
  const mail = await buildReservationNoticeEmail({
    kind: payload.kind,
    cityName: tenant.name,
    serviceName: service.name,
    contactName: r.contactName,
    confirmationCode: r.confirmationCode,
    dose: r.dose,
    venueName: venue.name,
    venueAddress: venue.address,
    startsAtText: formatDateTimeJa(slot.startsAt),
    whatToBring: service.whatToBring,
    manageUrl,
  });
  await deps.mailer.send({ to: r.contactEmail, ...mail });
  await withTenant(deps.db, payload.tenantId, (tx) => tx.insert(deliveries).values({ key: deliveryKey, tenantId: payload.tenantId, channel: "email" }).onConflictDoNothing());
  return "sent";
}
