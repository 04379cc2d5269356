import { and, eq } from "drizzle-orm";
import { readCityContact } from "~/lib/city-contact";
import { withTenant } from "#db/with-tenant.server";
import { reminderSends, type ReminderChannel } from "#db/schema/index";
import { buildReservationReminderEmail } from "#emails/reservation-reminder";
import { ruleKey } from "~/features/reminders/rules";
import { recordUsage } from "~/features/usage/record.server";
import { formatDateTimeFor } from "~/lib/i18n/dates";
import type { JobPayload } from "../../catalogue";
import type { NoticeDeps } from "../deps";
import { noticeLink } from "../notice/line-notice";
import { hasEmail, lineRouteFor, loadReservationFacts, mailLanguage, pushToResident } from "../notice/resident-channel";
import { lineReminderMessages } from "./line-reminder";

export type SendReminderResult =
  | ReminderChannel
  | "not-found"
  | "already-sent"
  | "already-dropped"
  | "already-failed"
  | `dropped-${"cancelled" | "moved" | "rule-removed" | "started"}`;

/**
 * Sends one queued reminder (a reminder_sends row written by the sweep) by the channel decided now:
 * LINE push when linked and still a friend, else e-mail, else nothing — the resident is on the staff
 * call list (channel "call-list"). The row is claimed (FOR UPDATE) and the reservation held FOR SHARE
 * in the same transaction that re-checks it and records the send: a cancel or change committed
 * before us is seen (the reminder is dropped, never sent); one that arrives during the send waits
 * for it (the reminder was true when it left). A failure rolls everything back and BullMQ retries;
 * the LINE retry key (`reminder:<reservation>:<slot>:<rule>`) keeps a retried push single at LINE.
 */
export async function sendReminder(
  deps: NoticeDeps,
  payload: JobPayload<"send-reminder">,
  now = new Date(),
): Promise<SendReminderResult> {
  const { tenantId } = payload;
  return withTenant(deps.db, tenantId, async (tx): Promise<SendReminderResult> => {
    const where = and(eq(reminderSends.tenantId, tenantId), eq(reminderSends.id, payload.reminderId));
    const [rem] = await tx.select().from(reminderSends).where(where).for("update");
    if (!rem) return "not-found";
    // A failed row (retries used up, see process-send-reminder.ts) is on the call list and never sent late.
    if (rem.status !== "queued")
      return rem.status === "sent" ? "already-sent" : rem.status === "failed" ? "already-failed" : "already-dropped";
    const facts = await loadReservationFacts(tx, tenantId, rem.reservationId, { lock: "share" });
    const drop = async (reason: "cancelled" | "moved" | "rule-removed" | "started") => {
      await tx.update(reminderSends).set({ status: "dropped", dropReason: reason }).where(where);
      return `dropped-${reason}` as const;
    };
    if (!facts || facts.r.status !== "booked") return drop("cancelled");
    if (facts.r.slotId !== rem.slotId) return drop("moved");
    if (!facts.service.reminders.some((r) => ruleKey(r) === rem.ruleKey)) return drop("rule-removed");
    if (now >= facts.slot.startsAt) return drop("started");

    const { r, slot, venue, service, tenant } = facts;
    const text = {
      cityName: tenant.name,
      serviceName: service.name,
      dose: r.dose,
      venueName: venue.name,
      venueAddress: venue.address,
      accessNotes: venue.accessNotes,
      whatToBring: service.whatToBring,
      confirmationCode: r.confirmationCode,
    };
    let channel: ReminderChannel = "call-list";
    const route = await lineRouteFor(tx, deps.key, tenantId, r.lineUserId);
    if (route) {
      const manageUrl = noticeLink({
        appOrigin: deps.appOrigin,
        slug: tenant.slug,
        liffId: route.creds.liffId,
        path: "reservation",
      });
      const seed = `reminder:${rem.reservationId}:${rem.slotId}:${rem.ruleKey}`;
      const lang = route.language;
      const messages = lineReminderMessages({
        ...text,
        lang,
        startsAtText: formatDateTimeFor(lang, slot.startsAt),
        manageUrl,
      });
      const pushed = await pushToResident(deps.line, route, messages, {
        seed,
        log: { tenantId, reservationId: r.id, reminder: rem.ruleKey },
      });
      if (pushed === "sent") {
        channel = "line";
        // One push to one resident is one billed LINE message, counted with its ledger row.
        await recordUsage(tx, tenantId, "line_messages", 1, now);
      }
    }
    if (channel === "call-list" && hasEmail(r.contactEmail)) {
      const lang = mailLanguage(r);
      const mail = await buildReservationReminderEmail({
        ...text,
        lang,
        startsAtText: formatDateTimeFor(lang, slot.startsAt),
        contactName: r.contactName,
        manageUrl: `${deps.appOrigin}/c/${tenant.slug}/reservation`,
        contact: readCityContact(tenant.contact),
      });
      await deps.mailer.send({ to: r.contactEmail, ...mail });
      channel = "email";
    }
    await tx.update(reminderSends).set({ status: "sent", channel, sentAt: now }).where(where);
    return channel;
  });
}
