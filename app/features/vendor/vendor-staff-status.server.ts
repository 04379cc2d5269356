import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { passwordResets, vendorUsers } from "#db/schema/index";
import { invalidateAllSessions } from "~/auth/session.server";
import { recordVendorAudit } from "~/features/audit/audit.server";

/**
 * 利用停止 / 利用再開 of a vendor staff account by a colleague (offboarding: vendor staff can act on
 * every city, so a leaver's access must end the same day). Disabling ends every session and every
 * pending password-reset link; login, sessions and reset mails then refuse the account
 * (app/auth/login.server.ts, session.server.ts, password/reset.server.ts). The row stays, so the
 * vendor audit keeps its names. Nobody disables themselves, and the actor's and the target's rows are
 * locked together in id order: two colleagues disabling each other at once leave one of them active
 * (the second is refused), never a console nobody can enter.
 */
export type StatusResult = { ok: true; message: string } | { ok: false; message: string };

export const STATUS_MESSAGES = {
  self: "ご自身の利用停止はできません。別の運営スタッフに依頼してください。",
  notFound: "対象の運営スタッフが見つかりません。一覧を読み込み直してください。",
  actorDisabled: "この操作を行えません。あなたのアカウントは利用停止されています。",
  alreadyDisabled: "この運営スタッフはすでに利用停止中です。",
  alreadyActive: "この運営スタッフはすでに利用できる状態です。",
} as const;

export async function setVendorStaffActive(
  db: Db,
  input: { actorId: string; targetId: string; active: boolean; ip?: string | null },
  now = new Date(),
): Promise<StatusResult> {
  if (input.actorId === input.targetId) return { ok: false, message: STATUS_MESSAGES.self };
  if (!/^[0-9a-f-]{36}$/i.test(input.targetId)) return { ok: false, message: STATUS_MESSAGES.notFound };
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: vendorUsers.id, displayName: vendorUsers.displayName, disabledAt: vendorUsers.disabledAt })
      .from(vendorUsers)
      .where(inArray(vendorUsers.id, [input.actorId, input.targetId]))
      .orderBy(asc(vendorUsers.id))
      .for("update");
    const actor = rows.find((r) => r.id === input.actorId);
    const target = rows.find((r) => r.id === input.targetId);
    if (!actor || actor.disabledAt) return { ok: false as const, message: STATUS_MESSAGES.actorDisabled };
    if (!target) return { ok: false as const, message: STATUS_MESSAGES.notFound };
    if (!input.active && target.disabledAt) return { ok: false as const, message: STATUS_MESSAGES.alreadyDisabled };
    if (input.active && !target.disabledAt) return { ok: false as const, message: STATUS_MESSAGES.alreadyActive };

    await tx
      .update(vendorUsers)
      .set({ disabledAt: input.active ? null : now })
      .where(eq(vendorUsers.id, target.id));
    let sessionsEnded = 0;
    if (!input.active) {
      sessionsEnded = await invalidateAllSessions(tx, "vendor", target.id);
      await tx
        .update(passwordResets)
        .set({ supersededAt: now })
        .where(
          and(
            eq(passwordResets.vendorUserId, target.id),
            isNull(passwordResets.usedAt),
            isNull(passwordResets.supersededAt),
          ),
        );
    }
    await recordVendorAudit(tx, {
      vendorUserId: input.actorId,
      action: input.active ? "vendor.staff.enable" : "vendor.staff.disable",
      detail: { targetVendorUserId: target.id, ...(input.active ? {} : { sessionsEnded }) },
      ip: input.ip,
    });
    return {
      ok: true as const,
      message: input.active
        ? `${target.displayName}さんの利用を再開しました。パスワードと2段階認証は停止前のままです。`
        : `${target.displayName}さんを利用停止にし、ログイン中の端末（${sessionsEnded}件）からログアウトさせました。`,
    };
  });
}
