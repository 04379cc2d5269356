import { and, eq, isNull } from "drizzle-orm";
import { withTenant } from "#db/with-tenant.server";
import { deliveries, passwordResets, tenants } from "#db/schema/index";
import { buildLoginAlertEmail } from "#emails/login-alert";
import { buildPasswordChangedEmail } from "#emails/password-changed";
import { buildPasswordResetEmail } from "#emails/password-reset";
import { findAccount } from "~/auth/password/accounts.server";
import { resetToken } from "~/auth/password/reset.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import type { JobPayload } from "../../catalogue";
import type { MailDeps } from "../deps";

const VENDOR_SITE = "窓口 ベンダーコンソール";

/** Who the mail comes from and where the account lives, by the city (staff) or the console (vendor). */
async function sender(deps: MailDeps, tenantId: string | null | undefined) {
  if (!tenantId) return { senderName: VENDOR_SITE, siteName: VENDOR_SITE, base: `${deps.appOrigin}/vendor` };
  const [t] = await deps.db
    .select({ name: tenants.name, slug: tenants.slug })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!t) return null;
  return { senderName: t.name, siteName: `${t.name}の窓口 管理画面`, base: `${deps.appOrigin}/c/${t.slug}/admin` };
}

/**
 * The パスワードの再設定 mail of one request. Not sent when the link is already useless (used,
 * superseded by a newer request, expired) or was mailed before (a retried job): `mailed_at` on the
 * row is the idempotency mark. The token is derived again from the row id (ADR 022).
 */
export async function sendPasswordReset(deps: MailDeps, payload: JobPayload<"send-password-reset">, now = new Date()) {
  const [row] = await deps.db.select().from(passwordResets).where(eq(passwordResets.id, payload.resetId));
  if (!row) return "not-found";
  if (row.mailedAt) return "already-sent";
  if (row.usedAt || row.supersededAt || row.expiresAt <= now) return "not-pending";
  const account = await findAccount(deps.db, row.kind, (row.staffUserId ?? row.vendorUserId)!);
  const from = await sender(deps, row.tenantId);
  if (!account || !from) return "not-found";
  const resetUrl = `${from.base}/password/reset/${resetToken(deps.key, row.id)}`;
  const mail = await buildPasswordResetEmail({
    senderName: from.senderName,
    siteName: from.siteName,
    resetUrl,
    expiresAtText: formatDateTimeJa(row.expiresAt),
  });
  await deps.mailer.send({ to: account.email, ...mail });
  await deps.db
    .update(passwordResets)
    .set({ mailedAt: new Date() })
    .where(and(eq(passwordResets.id, row.id), isNull(passwordResets.mailedAt)));
  return "sent";
}

/**
 * 「パスワードが変更されました」to the account's address. City staff: once per notice by the
 * city's delivery ledger. Vendor staff have no city ledger: a retry after a crash between sending
 * and completing may repeat this notice, which is harmless for a security notice.
 */
export async function sendPasswordChanged(
  deps: MailDeps,
  payload: JobPayload<"send-password-changed">,
  now = new Date(),
) {
  return sendSecurityNotice(deps, "password-changed", payload, (from) =>
    buildPasswordChangedEmail({
      senderName: from.senderName,
      siteName: from.siteName,
      changedAtText: formatDateTimeJa(now),
      forgotUrl: `${from.base}/password/forgot`,
    }),
  );
}

/**
 * 「ログインの失敗が続いています」(ADR 026): once per notice, like the password-changed notice
 * (city staff by the city's delivery ledger; a repeated vendor notice after a crash is harmless).
 */
export async function sendLoginAlert(deps: MailDeps, payload: JobPayload<"send-login-alert">, now = new Date()) {
  return sendSecurityNotice(deps, "login-alert", payload, (from) =>
    buildLoginAlertEmail({
      senderName: from.senderName,
      siteName: from.siteName,
      atText: formatDateTimeJa(now),
      forgotUrl: `${from.base}/password/forgot`,
    }),
  );
}

type Sender = NonNullable<Awaited<ReturnType<typeof sender>>>;

/**
 * A security notice to the account's own address, sent once per notice id: city staff by the
 * city's delivery ledger; vendor staff have none (a repeat after a crash is harmless here).
 */
async function sendSecurityNotice(
  deps: MailDeps,
  kind: "password-changed" | "login-alert",
  payload: JobPayload<"send-password-changed"> | JobPayload<"send-login-alert">,
  build: (from: Sender) => Promise<{ subject: string; html: string; text: string }>,
) {
  const deliveryKey = `${kind}:${payload.noticeId}`;
  const tenantId = payload.kind === "staff" ? payload.tenantId : undefined;
  if (payload.kind === "staff" && !tenantId) throw new Error(`send-${kind}: staff notice without tenantId`);
  if (tenantId) {
    const sent = await withTenant(deps.db, tenantId, (tx) =>
      tx.select().from(deliveries).where(eq(deliveries.key, deliveryKey)),
    );
    if (sent.length) return "already-sent";
  }
  const account = await findAccount(deps.db, payload.kind, payload.userId);
  const from = await sender(deps, tenantId);
  if (!account || !from) return "not-found";
  await deps.mailer.send({ to: account.email, ...(await build(from)) });
  if (tenantId)
    await withTenant(deps.db, tenantId, (tx) =>
      tx.insert(deliveries).values({ key: deliveryKey, tenantId, channel: "email" }).onConflictDoNothing(),
    );
  return "sent";
}
