import { inArray } from "drizzle-orm";
import { readCityContact } from "~/lib/city-contact";
import { withTenant } from "#db/with-tenant.server";
import { deliveries } from "#db/schema/index";
import { buildReservationNoticeEmail } from "#emails/reservation-notice";
import { formatDateTimeFor } from "~/lib/i18n/dates";
import type { JobPayload } from "../../catalogue";
import type { NoticeDeps } from "../deps";
import { lineNoticeMessages, noticeLink } from "./line-notice";
import { hasEmail, lineRouteFor, loadReservationFacts, mailLanguage, pushToResident } from "./resident-channel";
import { recordUsage } from "~/features/usage/record.server";

/** Delivery keys in the ledger: the e-mail key predates LINE and stays as it was (rows already sent). */
export const noticeDeliveryKeys = (noticeId: string) => ({
  email: `notice:${noticeId}`,
  line: `notice:${noticeId}:line`,
});

/**
 * Sends a reservation notice (confirmed / changed / cancelled / slot closed) by the channel decided at
 * send time: a LINE push when the reservation is linked to a LINE user who still follows the city's
 * account and the city has a channel; otherwise an e-mail when there is an address; otherwise
 * nothing (staff see those residents on the call list).
 *
 * Exactly once per notice: the `deliveries` ledger records the channel that carried it, and a notice
 * with any ledger row is skipped, so a retried job never sends it again — by the same channel or the
 * other one. The LINE push also carries X-Line-Retry-Key = retryKeyFrom(`notice:<id>`): if a run dies
 * after LINE accepted the push but before the ledger row, the next run's push is answered 409 by
 * LINE ("already accepted") instead of reaching the resident twice.
 */
export async function sendReservationNotice(deps: NoticeDeps, payload: JobPayload<"send-reservation-notice">) {
  const keys = noticeDeliveryKeys(payload.noticeId);
  const prepared = await withTenant(deps.db, payload.tenantId, async (tx) => {
    const sent = await tx
      .select({ key: deliveries.key })
      .from(deliveries)
      .where(inArray(deliveries.key, [keys.email, keys.line]));
    if (sent.length) return { skip: "already-sent" as const };
    const row = await loadReservationFacts(tx, payload.tenantId, payload.reservationId);
    if (!row) return { skip: "not-found" as const };
    const route = await lineRouteFor(tx, deps.key, payload.tenantId, row.r.lineUserId);
    if (!route && !hasEmail(row.r.contactEmail)) return { skip: "no-contact" as const };
    return { ...row, route };
  });
  if ("skip" in prepared) return prepared.skip;
  const { r, slot, venue, service, tenant, route } = prepared;
  const active = payload.kind === "confirmed" || payload.kind === "changed";
  const facts = {
    kind: payload.kind,
    cityName: tenant.name,
    serviceName: service.name,
    confirmationCode: r.confirmationCode,
    dose: r.dose,
    venueName: venue.name,
    venueAddress: venue.address,
    whatToBring: service.whatToBring,
    contact: readCityContact(tenant.contact),
  };

  if (route) {
    const manageUrl = noticeLink({
      appOrigin: deps.appOrigin,
      slug: tenant.slug,
      liffId: route.creds.liffId,
      path: active ? "reservation" : "reserve",
    });
    const lang = route.language;
    const messages = lineNoticeMessages({
      ...facts,
      lang,
      startsAtText: formatDateTimeFor(lang, slot.startsAt),
      manageUrl,
    });
    const pushed = await pushToResident(deps.line, route, messages, {
      seed: `notice:${payload.noticeId}`,
      log: { tenantId: payload.tenantId, reservationId: r.id, notice: payload.kind },
    });
    if (pushed === "sent") {
      await withTenant(deps.db, payload.tenantId, async (tx) => {
        const recorded = await tx
          .insert(deliveries)
          .values({ key: keys.line, tenantId: payload.tenantId, channel: "line" })
          .onConflictDoNothing()
          .returning({ key: deliveries.key });
        // One push to one resident is one billed LINE message; counted only with its ledger row.
        if (recorded.length) await recordUsage(tx, payload.tenantId, "line_messages", 1);
      });
      return "sent-line";
    }
    // Retrying a permanent refusal changes nothing; the resident is then on the call list.
    if (!hasEmail(r.contactEmail)) return "line-refused";
  }

  const manageUrl = `${deps.appOrigin}/c/${tenant.slug}/${active ? "reservation" : "reserve"}`;
  const lang = mailLanguage(r);
  const mail = await buildReservationNoticeEmail({
    ...facts,
    lang,
    startsAtText: formatDateTimeFor(lang, slot.startsAt),
    contactName: r.contactName,
    manageUrl,
  });
  await deps.mailer.send({ to: r.contactEmail, ...mail });
  await withTenant(deps.db, payload.tenantId, (tx) =>
    tx
      .insert(deliveries)
      .values({ key: keys.email, tenantId: payload.tenantId, channel: "email" })
      .onConflictDoNothing(),
  );
  return "sent";
}
