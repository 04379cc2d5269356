import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { vendorUsers, type Tenant } from "#db/schema/index";
import { recordAudit, recordVendorAudit } from "~/features/audit/audit.server";
import { writeOutbox, writePlatformOutbox } from "~/features/outbox/outbox.server";
import { findMembership, findStaffUserByEmail } from "~/features/staff/staff.server";
import { burnPasswordCheck, verifyPassword } from "./password.server";
import { checkLoginAllowed, recordLoginFailure, recordLoginSuccess } from "./rate-limit.server";
import { createSession } from "./session.server";
import { findCredential } from "./two-factor/two-factor.server";

export const LOGIN_FAILED = "メールアドレスまたはパスワードが正しくありません。";
export const LOGIN_THROTTLED = "ログインの試行回数が上限に達しました。しばらく時間をおいてからお試しください。";

/** `secondStep`: where the browser goes next — the code prompt, the (vendor-only, mandatory) enrolment, or nowhere. */
export type SecondStep = "verify" | "enrol" | null;
export type LoginResult =
  { ok: true; token: string; expiresAt: Date; secondStep: SecondStep } | { ok: false; message: string };

/**
 * City staff login. Wrong password, unknown e-mail and "valid account but not a member of this
 * city" all get the same answer after the same argon2 work, so the page reveals nothing.
 */
export async function loginStaff(
  db: Db,
  input: { tenant: Tenant; email: string; password: string; ip: string | null },
): Promise<LoginResult> {
  const scope = `staff:${input.tenant.id}`;
  const gate = await checkLoginAllowed(scope, input.email, input.ip);
  if (!gate.allowed) return { ok: false, message: LOGIN_THROTTLED };
  const user = await findStaffUserByEmail(db, input.email);
  const passwordOk = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await burnPasswordCheck(input.password), false);
  const membership =
    user && passwordOk
      ? await withTenant(db, input.tenant.id, (tx) => findMembership(tx, input.tenant.id, user.id))
      : null;
  if (!user || !passwordOk || !membership) {
    const { burst } = await recordLoginFailure(scope, input.email, input.ip);
    // The slow-down just started for a real member of this city: tell the owner (ADR 026).
    if (burst && user)
      await withTenant(db, input.tenant.id, async (tx) => {
        if (!(await findMembership(tx, input.tenant.id, user.id))) return;
        await writeOutbox(tx, input.tenant.id, "send-login-alert", {
          tenantId: input.tenant.id,
          kind: "staff",
          userId: user.id,
          noticeId: crypto.randomUUID(),
        });
      });
    return { ok: false, message: LOGIN_FAILED };
  }
  await recordLoginSuccess(scope, input.email, input.ip);
  const session = await createSession(db, "staff", user.id);
  await withTenant(db, input.tenant.id, (tx) =>
    recordAudit(tx, {
      tenantId: input.tenant.id,
      actorKind: "staff",
      actorId: user.id,
      action: "staff.login",
      ip: input.ip,
    }),
  );
  const credential = await findCredential(db, "staff", user.id);
  return { ok: true, ...session, secondStep: credential?.confirmedAt ? "verify" : null };
}

export async function loginVendor(
  db: Db,
  input: { email: string; password: string; ip: string | null },
): Promise<LoginResult> {
  const scope = "vendor";
  const gate = await checkLoginAllowed(scope, input.email, input.ip);
  if (!gate.allowed) return { ok: false, message: LOGIN_THROTTLED };
  const [user] = await db.select().from(vendorUsers).where(eq(vendorUsers.email, input.email.toLowerCase()));
  const passwordOk = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await burnPasswordCheck(input.password), false);
  // A disabled account (利用停止) gets the same answer as a wrong password, after the same work.
  if (!user || !passwordOk || user.disabledAt) {
    const { burst } = await recordLoginFailure(scope, input.email, input.ip);
    if (burst && user && !user.disabledAt)
      await db.transaction((tx) =>
        writePlatformOutbox(tx, "send-login-alert", { kind: "vendor", userId: user.id, noticeId: crypto.randomUUID() }),
      );
    return { ok: false, message: LOGIN_FAILED };
  }
  await recordLoginSuccess(scope, input.email, input.ip);
  const session = await createSession(db, "vendor", user.id);
  await recordVendorAudit(db, { vendorUserId: user.id, action: "vendor.login", ip: input.ip });
  const credential = await findCredential(db, "vendor", user.id);
  return { ok: true, ...session, secondStep: credential?.confirmedAt ? "verify" : "enrol" };
}
