import { and, eq } from "drizzle-orm";
import { withTenant } from "#db/with-tenant.server";
import { deliveries, invitations, staffUsers, tenants } from "#db/schema/index";
import { buildStaffInvitationEmail } from "#emails/staff-invitation";
import { roleLabel } from "~/components/layouts/role-label";
import { invitationToken } from "~/features/staff/invitations.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import type { JobPayload } from "../../catalogue";
import type { MailDeps } from "../deps";

/**
 * Sends the invitation e-mail. Idempotent: a delivery row keyed by the invitation marks it sent,
 * so a retried job (worker crash, relay redelivery) does not mail twice. An invitation that was
 * revoked, accepted or expired meanwhile is not sent at all.
 */
export async function sendStaffInvitation(
  deps: MailDeps,
  payload: JobPayload<"send-staff-invitation">,
  now = new Date(),
) {
  const deliveryKey = `invitation:${payload.invitationId}`;
  const prepared = await withTenant(deps.db, payload.tenantId, async (tx) => {
    const [sent] = await tx.select().from(deliveries).where(eq(deliveries.key, deliveryKey));
    if (sent) return { skip: "already-sent" as const };
    const [inv] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.tenantId, payload.tenantId), eq(invitations.id, payload.invitationId)));
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= now) return { skip: "not-pending" as const };
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, payload.tenantId));
    const inviter = inv.invitedByStaffId
      ? (
          await tx
            .select({ name: staffUsers.displayName })
            .from(staffUsers)
            .where(eq(staffUsers.id, inv.invitedByStaffId))
        )[0]?.name
      : inv.invitedByVendorId
        ? "運営事業者"
        : undefined;
    return { inv, tenant: tenant!, inviterName: inviter ?? "運営事業者" };
  });
  if ("skip" in prepared) return prepared.skip;
  const { inv, tenant, inviterName } = prepared;
  const acceptUrl = `${deps.appOrigin}/c/${tenant.slug}/admin/invite/${invitationToken(deps.key, inv)}`;
  const mail = await buildStaffInvitationEmail({
    cityName: tenant.name,
    inviterName,
    roleLabel: roleLabel(inv.role),
    acceptUrl,
    expiresAtText: formatDateTimeJa(inv.expiresAt),
  });
  await deps.mailer.send({ to: inv.email, ...mail });
  await withTenant(deps.db, payload.tenantId, (tx) =>
    tx
      .insert(deliveries)
      .values({ key: deliveryKey, tenantId: payload.tenantId, channel: "email" })
      .onConflictDoNothing(),
  );
  return "sent";
}
