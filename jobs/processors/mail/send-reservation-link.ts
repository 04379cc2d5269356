import { and, eq, isNull } from "drizzle-orm";
import { withTenant } from "#db/with-tenant.server";
import { reservationLinks, reservations, tenants } from "#db/schema/index";
import { buildReservationLinkEmail } from "#emails/reservation-link";
import { accessLinkToken } from "~/features/reservations/access-link.server";
import { formatDateTimeFor } from "~/lib/i18n/dates";
import { mailLanguage } from "../notice/resident-channel";
import type { JobPayload } from "../../catalogue";
import type { MailDeps } from "../deps";

/**
 * The one-time reservation link (ADR 027), to the address on the booking that asked. Not sent when
 * the link is already useless (used, expired) or was mailed before (a retried job): `mailed_at` on
 * the row is the idempotency mark. The token is derived again from the row id.
 */
export async function sendReservationLink(
  deps: MailDeps,
  payload: JobPayload<"send-reservation-link">,
  now = new Date(),
) {
  const found = await withTenant(deps.db, payload.tenantId, async (tx) => {
    const [row] = await tx
      .select({
        link: reservationLinks,
        email: reservations.contactEmail,
        language: reservations.language,
        city: tenants.name,
        slug: tenants.slug,
      })
      .from(reservationLinks)
      .innerJoin(
        reservations,
        and(eq(reservations.tenantId, reservationLinks.tenantId), eq(reservations.id, reservationLinks.reservationId)),
      )
      .innerJoin(tenants, eq(tenants.id, reservationLinks.tenantId))
      .where(and(eq(reservationLinks.tenantId, payload.tenantId), eq(reservationLinks.id, payload.linkId)));
    return row ?? null;
  });
  if (!found || !found.email) return "not-found";
  if (found.link.mailedAt) return "already-sent";
  if (found.link.usedAt || found.link.expiresAt <= now) return "not-pending";
  const lang = mailLanguage(found);
  const mail = await buildReservationLinkEmail({
    lang,
    cityName: found.city,
    linkUrl: `${deps.appOrigin}/c/${found.slug}/reservation/open/${accessLinkToken(deps.key, found.link.id)}`,
    expiresAtText: formatDateTimeFor(lang, found.link.expiresAt),
  });
  await deps.mailer.send({ to: found.email, ...mail });
  await withTenant(deps.db, payload.tenantId, (tx) =>
    tx
      .update(reservationLinks)
      .set({ mailedAt: new Date() })
      .where(
        and(
          eq(reservationLinks.tenantId, payload.tenantId),
          eq(reservationLinks.id, payload.linkId),
          isNull(reservationLinks.mailedAt),
        ),
      ),
  );
  return "sent";
}
