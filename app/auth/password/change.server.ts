import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { hashPassword, verifyPassword } from "../password.server";
import { applyNewPassword, findAccount, type Subject } from "./accounts.server";
import { changeAllowed, clearChangeFailures, recordChangeFailure } from "./limits.server";

export const CURRENT_PASSWORD_WRONG = "現在のパスワードが正しくありません。";
export const CHANGE_THROTTLED =
  "現在のパスワードの誤りが続いたため、しばらく変更できません。15分ほど時間をおいてからお試しください。";
export const SAME_PASSWORD = "新しいパスワードには、現在のパスワードと異なるものを設定してください。";

export type ChangeResult =
  { ok: true; sessionsEnded: number } | { ok: false; field: "currentPassword" | "password"; message: string };

/**
 * パスワードの変更 from the account page: the current password proves it is the person, not
 * someone at an unlocked PC. Wrong guesses are limited per account; on success every other session
 * of the account ends (a thief logged in elsewhere is thrown out) and this one stays.
 */
export async function changePassword(
  db: Db,
  input: Subject & { sessionId: string; currentPassword: string; newPassword: string; ip?: string | null },
): Promise<ChangeResult> {
  const limitKey = `${input.kind}:${input.userId}`;
  if (!(await changeAllowed(limitKey))) return { ok: false, field: "currentPassword", message: CHANGE_THROTTLED };
  const account = await findAccount(db, input.kind, input.userId);
  if (!account || !(await verifyPassword(account.passwordHash, input.currentPassword))) {
    await recordChangeFailure(limitKey);
    return { ok: false, field: "currentPassword", message: CURRENT_PASSWORD_WRONG };
  }
  await clearChangeFailures(limitKey);
  if (input.newPassword === input.currentPassword) return { ok: false, field: "password", message: SAME_PASSWORD };
  const passwordHash = await hashPassword(input.newPassword);
  const apply = { passwordHash, keepSessionId: input.sessionId, action: `${input.kind}.password.change`, ip: input.ip };
  const subject: Subject =
    input.kind === "staff"
      ? { kind: "staff", userId: input.userId, tenantId: input.tenantId }
      : { kind: "vendor", userId: input.userId };
  const r =
    subject.kind === "staff"
      ? await withTenant(db, subject.tenantId, (tx) => applyNewPassword(tx, subject, apply))
      : await db.transaction((tx) => applyNewPassword(tx, subject, apply));
  return { ok: true, sessionsEnded: r.sessionsEnded };
}
