import { createHmac, hkdfSync } from "node:crypto";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { passwordResets, vendorUsers, type Tenant } from "#db/schema/index";
import { recordAudit, recordVendorAudit } from "~/features/audit/audit.server";
import { writeOutbox, writePlatformOutbox } from "~/features/outbox/outbox.server";
import { findMembership, findStaffUserByEmail } from "~/features/staff/staff.server";
import { hashPassword } from "../password.server";
import { sessionIdFromToken } from "../session.server";
import { applyNewPassword, type Subject } from "./accounts.server";
import { consumeForgot } from "./limits.server";

export const RESET_TTL_MS = 60 * 60 * 1000;
export const FORGOT_ANSWER = "ご入力のアドレスが登録されていれば、再設定用のメールを送りました";
export const FORGOT_THROTTLED = "短時間に多くの再設定の依頼がありました。しばらく時間をおいてからお試しください。";
export const RESET_INVALID =
  "この再設定リンクは無効です。期限切れか、すでに使用されています。もう一度「パスワードをお忘れの方」からお手続きください。";
/** Every answer of the request takes at least this long, so a found account (a few writes) looks like none. */
export const FORGOT_MIN_MS = 300;

/**
 * The link's token is not stored anywhere: it is an HMAC of the row's random id under a key derived
 * from the master key. The row keeps the token's SHA-256 for the lookup; the mail job (which gets
 * only the id, ADR 006) derives the token again. A copy of the database alone opens nothing.
 */
export function resetToken(masterKey: Buffer, resetId: string) {
  const subkey = Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), "madoguchi password reset token", 32));
  return encodeBase32LowerCaseNoPadding(createHmac("sha256", subkey).update(resetId).digest().subarray(0, 20));
}

export type Where = { kind: "staff"; tenant: Tenant } | { kind: "vendor" };
export type ForgotResult =
  { ok: true; message: typeof FORGOT_ANSWER } | { ok: false; message: typeof FORGOT_THROTTLED };

/**
 * パスワードをお忘れの方. The same answer, after at least FORGOT_MIN_MS, whether or not the address
 * has an account here (no enumeration). A staff account gets a link only from a city it belongs
 * to. A new request supersedes the older links. Per IP: refused with a message; per address: the
 * same answer but no further mail (a third party cannot flood someone's inbox).
 */
export async function requestPasswordReset(
  db: Db,
  key: Buffer,
  input: Where & { email: string; ip: string | null },
  now = new Date(),
): Promise<ForgotResult> {
  const started = Date.now();
  const scope = input.kind === "staff" ? `staff:${input.tenant.id}` : "vendor";
  const limit = await consumeForgot(scope, input.email, input.ip);
  if (limit.ipOk && limit.addressOk) await issueReset(db, key, input, now);
  const wait = FORGOT_MIN_MS - (Date.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  return limit.ipOk ? { ok: true, message: FORGOT_ANSWER } : { ok: false, message: FORGOT_THROTTLED };
}

async function issueReset(db: Db, key: Buffer, input: Where & { email: string; ip: string | null }, now: Date) {
  const id = crypto.randomUUID();
  const row = {
    id,
    tokenHash: sessionIdFromToken(resetToken(key, id)),
    expiresAt: new Date(now.getTime() + RESET_TTL_MS),
    createdAt: now,
  };
  if (input.kind === "staff") {
    const tenantId = input.tenant.id;
    const user = await findStaffUserByEmail(db, input.email);
    if (!user) return;
    await withTenant(db, tenantId, async (tx) => {
      // A former member of this city (membership removed) gets nothing from this city's page.
      if (!(await findMembership(tx, tenantId, user.id))) return;
      await tx
        .update(passwordResets)
        .set({ supersededAt: now })
        .where(
          and(
            eq(passwordResets.staffUserId, user.id),
            isNull(passwordResets.usedAt),
            isNull(passwordResets.supersededAt),
          ),
        );
      await tx.insert(passwordResets).values({ ...row, kind: "staff", staffUserId: user.id, tenantId });
      await writeOutbox(tx, tenantId, "send-password-reset", { tenantId, resetId: id });
      await recordAudit(tx, {
        tenantId,
        actorKind: "staff",
        actorId: user.id,
        action: "staff.password.reset_request",
        targetType: "password_reset",
        targetId: id,
        ip: input.ip,
      });
    });
    return;
  }
  // A disabled vendor account (利用停止) gets no mail, and the same answer as an unknown address.
  const [user] = await db
    .select({ id: vendorUsers.id })
    .from(vendorUsers)
    .where(and(eq(vendorUsers.email, input.email.toLowerCase()), isNull(vendorUsers.disabledAt)));
  if (!user) return;
  await db.transaction(async (tx) => {
    await tx
      .update(passwordResets)
      .set({ supersededAt: now })
      .where(
        and(
          eq(passwordResets.vendorUserId, user.id),
          isNull(passwordResets.usedAt),
          isNull(passwordResets.supersededAt),
        ),
      );
    await tx.insert(passwordResets).values({ ...row, kind: "vendor", vendorUserId: user.id });
    await writePlatformOutbox(tx, "send-password-reset", { resetId: id });
    await recordVendorAudit(tx, {
      vendorUserId: user.id,
      action: "vendor.password.reset_request",
      detail: { resetId: id },
      ip: input.ip,
    });
  });
}

function usableWhere(where: Where, token: string, now: Date) {
  return and(
    eq(passwordResets.tokenHash, sessionIdFromToken(token)),
    eq(passwordResets.kind, where.kind),
    where.kind === "staff" ? eq(passwordResets.tenantId, where.tenant.id) : isNull(passwordResets.tenantId),
    isNull(passwordResets.usedAt),
    isNull(passwordResets.supersededAt),
    gt(passwordResets.expiresAt, now),
  );
}

const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

/** For the link page's loader: is this link still usable here? (No detail on why not: one message.) */
export async function resetLinkUsable(db: Db, where: Where, token: string, now = new Date()) {
  if (!TOKEN_SHAPE.test(token)) return false;
  const [row] = await db
    .select({ id: passwordResets.id })
    .from(passwordResets)
    .where(usableWhere(where, token, now));
  return Boolean(row);
}

export type ResetResult = { ok: true; sessionsEnded: number } | { ok: false; message: string };

/**
 * Sets the new password. Single use: a conditional UPDATE claims the row, so a second submit (double
 * click, a replayed link) finds nothing. Every session ends; the two-factor credential is untouched,
 * so the next login still asks for the second step (ADR 015).
 */
export async function completePasswordReset(
  db: Db,
  where: Where,
  input: { token: string; password: string; ip?: string | null },
  now = new Date(),
): Promise<ResetResult> {
  if (!TOKEN_SHAPE.test(input.token)) return { ok: false, message: RESET_INVALID };
  const passwordHash = await hashPassword(input.password);
  const claim = async (tx: Parameters<Parameters<Db["transaction"]>[0]>[0]) => {
    const [row] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(usableWhere(where, input.token, now))
      .returning();
    if (!row) return null;
    const subject: Subject =
      where.kind === "staff"
        ? { kind: "staff", userId: row.staffUserId!, tenantId: where.tenant.id }
        : { kind: "vendor", userId: row.vendorUserId! };
    // Removed from the city since the mail went out: the link dies with the membership.
    if (subject.kind === "staff" && !(await findMembership(tx, subject.tenantId, subject.userId))) return null;
    return applyNewPassword(
      tx,
      subject,
      {
        passwordHash,
        keepSessionId: null,
        action: `${where.kind}.password.reset`,
        ip: input.ip,
        detail: { resetId: row.id },
      },
      now,
    );
  };
  const r = where.kind === "staff" ? await withTenant(db, where.tenant.id, claim) : await db.transaction(claim);
  return r ? { ok: true, sessionsEnded: r.sessionsEnded } : { ok: false, message: RESET_INVALID };
}
