import { and, eq, isNull } from "drizzle-orm";
import { vendorInvitations, vendorUsers } from "#db/schema/index";
import { buildVendorStaffInvitationEmail } from "#emails/vendor-staff-invitation";
import { vendorInvitationToken, vendorInvitationUrl } from "~/features/vendor/vendor-invitations.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import type { JobPayload } from "../../catalogue";
import type { MailDeps } from "../deps";

/**
 * Sends a vendor staff invitation (ADR 023). No city, so no `deliveries` row (those are per city):
 * the invitation's own `mailed_at` marks it sent and a retried job does not mail twice. An
 * invitation accepted, cancelled or expired meanwhile is not sent at all.
 */
export async function sendVendorInvitation(
  deps: MailDeps,
  payload: JobPayload<"send-vendor-invitation">,
  now = new Date(),
) {
  const [inv] = await deps.db.select().from(vendorInvitations).where(eq(vendorInvitations.id, payload.invitationId));
  if (inv?.mailedAt) return "already-sent";
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= now) return "not-pending";
  const inviter = inv.invitedByVendorId
    ? (
        await deps.db
          .select({ name: vendorUsers.displayName })
          .from(vendorUsers)
          .where(eq(vendorUsers.id, inv.invitedByVendorId))
      )[0]?.name
    : undefined;
  const mail = await buildVendorStaffInvitationEmail({
    inviterName: inviter ?? "運営事業者（システム管理者）",
    displayName: inv.displayName,
    acceptUrl: vendorInvitationUrl(deps.appOrigin, vendorInvitationToken(deps.key, inv)),
    expiresAtText: formatDateTimeJa(inv.expiresAt),
  });
  await deps.mailer.send({ to: inv.email, ...mail });
  await deps.db
    .update(vendorInvitations)
    .set({ mailedAt: new Date() })
    .where(and(eq(vendorInvitations.id, inv.id), isNull(vendorInvitations.mailedAt)));
  return "sent";
}
