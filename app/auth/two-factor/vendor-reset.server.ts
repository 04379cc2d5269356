import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { twoFactorCredentials, vendorUsers } from "#db/schema/index";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { invalidateAllSessions } from "../session.server";
import { consumeSecondFactor, findCredential } from "./two-factor.server";

/**
 * Vendor staff who lost both their authenticator and their recovery codes cannot sign in (two-factor
 * is mandatory for them, ADR 015), and nobody can vouch for themselves. So a colleague — signed in,
 * past their own second step, and re-entering a current code of their own to confirm — resets it:
 * the credential and its recovery codes are deleted (cascade) and every session of the colleague
 * ends, so their next login goes through enrolment again. Self-reset is refused.
 */
export type VendorStaffRow = {
  id: string;
  email: string;
  displayName: string;
  twoFactor: "enrolled" | "pending" | "none";
  sessions: number;
  disabled: boolean;
};

export async function listVendorStaff(db: Db): Promise<VendorStaffRow[]> {
  const rows = await db
    .select({
      id: vendorUsers.id,
      email: vendorUsers.email,
      displayName: vendorUsers.displayName,
      disabledAt: vendorUsers.disabledAt,
      confirmedAt: twoFactorCredentials.confirmedAt,
      credentialId: twoFactorCredentials.id,
      sessions: sql<number>`(select count(*)::int from sessions s where s.vendor_user_id = ${vendorUsers.id} and s.expires_at > now())`,
    })
    .from(vendorUsers)
    .leftJoin(twoFactorCredentials, eq(twoFactorCredentials.vendorUserId, vendorUsers.id))
    .orderBy(asc(vendorUsers.displayName), asc(vendorUsers.email));
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    displayName: r.displayName,
    twoFactor: r.confirmedAt ? "enrolled" : r.credentialId ? "pending" : "none",
    sessions: r.sessions,
    disabled: r.disabledAt !== null,
  }));
}

export const RESET_SELF =
  "ご自身の2段階認証はこの画面ではリセットできません。認証アプリを失った場合は、別の運営スタッフに依頼してください。";
export const RESET_NOT_FOUND = "対象の運営スタッフが見つかりません。一覧を読み込み直してください。";
export const RESET_NOTHING =
  "この運営スタッフは2段階認証をまだ設定していません。次回のログイン時に設定の手順が表示されます。";

export type ResetResult = { ok: true; message: string; sessionsEnded: number } | { ok: false; message: string };

export async function resetVendorTwoFactor(
  db: Db,
  key: Buffer,
  input: { actorId: string; targetId: string; code: string; ip?: string | null },
): Promise<ResetResult> {
  if (input.actorId === input.targetId) return { ok: false, message: RESET_SELF };
  const [target] = /^[0-9a-f-]{36}$/i.test(input.targetId)
    ? await db.select().from(vendorUsers).where(eq(vendorUsers.id, input.targetId))
    : [];
  if (!target) return { ok: false, message: RESET_NOT_FOUND };
  if (!(await findCredential(db, "vendor", target.id))) return { ok: false, message: RESET_NOTHING };
  // The actor's own current code (or a recovery code), burned and throttled like any second step.
  const check = await consumeSecondFactor(
    db,
    key,
    { kind: "vendor", userId: input.actorId, ip: input.ip },
    { code: input.code },
  );
  if (!check.ok) return check;

  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(twoFactorCredentials)
      .where(eq(twoFactorCredentials.vendorUserId, target.id))
      .returning({ confirmedAt: twoFactorCredentials.confirmedAt });
    if (!deleted.length) return { ok: false as const, message: RESET_NOTHING };
    const sessionsEnded = await invalidateAllSessions(tx, "vendor", target.id);
    await recordVendorAudit(tx, {
      vendorUserId: input.actorId,
      action: "vendor.two_factor.reset",
      detail: {
        targetVendorUserId: target.id,
        actorVendorUserId: input.actorId,
        wasConfirmed: deleted[0]!.confirmedAt !== null,
        sessionsEnded,
        confirmedWith: check.method,
      },
      ip: input.ip,
    });
    return {
      ok: true as const,
      sessionsEnded,
      message: `${target.displayName}さんの2段階認証をリセットし、ログイン中の端末（${sessionsEnded}件）からログアウトさせました。次回のログイン時に、認証アプリの設定からやり直すよう伝えてください。`,
    };
  });
}
