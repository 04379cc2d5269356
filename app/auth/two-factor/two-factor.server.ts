import { randomUUID } from "node:crypto";
import { and, count, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import {
  sessionTwoFactor,
  twoFactorCredentials,
  twoFactorRecoveryCodes,
  type TwoFactorCredential,
} from "#db/schema/index";
import { recordAudit, recordVendorAudit } from "~/features/audit/audit.server";
import { decryptString, encryptString } from "~/lib/crypto.server";
import type { SessionKind } from "../session.server";
import { clearSecondStepFailures, recordSecondStepFailure, secondStepAllowed } from "./attempts.server";
import {
  hashRecoveryCode,
  looksLikeRecoveryCode,
  matchTotp,
  newRecoveryCodes,
  newTotpKey,
  normaliseCode,
} from "./totp.server";

export const CODE_REQUIRED = "確認コードを入力してください。";
export const CODE_WRONG =
  "確認コードが正しくないか、すでに使用されています。認証アプリに表示されている最新の6桁を入力してください。";
export const CODE_THROTTLED = "確認コードの試行回数が上限に達しました。15分ほど時間をおいてからお試しください。";

/** Who acts: vendor staff audit platform-wide; city staff audit in the city they are signed in to. */
export type TwoFactorActor =
  | { kind: "vendor"; userId: string; ip?: string | null }
  | { kind: "staff"; userId: string; tenantId: string; ip?: string | null };

const subjectColumn = (kind: SessionKind) =>
  kind === "staff" ? twoFactorCredentials.staffUserId : twoFactorCredentials.vendorUserId;
const secretAd = (credentialId: string) => `two_factor_credentials:${credentialId}:secret`;
const attemptsKey = (actor: TwoFactorActor) => `${actor.kind}:${actor.userId}`;

export async function findCredential(
  db: DbOrTx,
  kind: SessionKind,
  userId: string,
): Promise<TwoFactorCredential | null> {
  const [row] = await db
    .select()
    .from(twoFactorCredentials)
    .where(eq(subjectColumn(kind), userId));
  return row ?? null;
}

export function decryptSecret(key: Buffer, credential: TwoFactorCredential): Uint8Array {
  return new Uint8Array(Buffer.from(decryptString(key, credential.secretEnc, secretAd(credential.id)), "base64"));
}

/**
 * What the guards need in one round trip: is a second factor enrolled for this person, and has this
 * session passed it?
 */
export async function secondFactorState(db: DbOrTx, kind: SessionKind, userId: string, sessionId: string) {
  const column = kind === "staff" ? sql`staff_user_id` : sql`vendor_user_id`;
  const rows = await db.execute<{ enrolled: boolean; verified: boolean }>(sql`
    select exists(select 1 from two_factor_credentials where ${column} = ${userId} and confirmed_at is not null) as enrolled,
           exists(select 1 from session_two_factor where session_id = ${sessionId}) as verified`);
  const row = rows[0]!;
  return { enrolled: row.enrolled, verified: row.verified };
}

async function audit(db: Db, actor: TwoFactorActor, action: string, detail: Record<string, unknown> = {}) {
  if (actor.kind === "vendor") {
    await recordVendorAudit(db, { vendorUserId: actor.userId, action, detail, ip: actor.ip });
  } else {
    await withTenant(db, actor.tenantId, (tx) =>
      recordAudit(tx, {
        tenantId: actor.tenantId,
        actorKind: "staff",
        actorId: actor.userId,
        action,
        detail,
        ip: actor.ip,
      }),
    );
  }
}

/**
 * Starts (or resumes) enrolment: a pending credential with a fresh secret. Returns null when a
 * confirmed one exists — replacing it needs disabling first, so a stolen half-session cannot.
 */
export async function beginEnrolment(
  db: Db,
  key: Buffer,
  kind: SessionKind,
  userId: string,
): Promise<{ credentialId: string; secret: Uint8Array } | null> {
  const existing = await findCredential(db, kind, userId);
  if (existing?.confirmedAt) return null;
  if (existing) return { credentialId: existing.id, secret: decryptSecret(key, existing) };
  const id = randomUUID();
  const secret = newTotpKey();
  const inserted = await db
    .insert(twoFactorCredentials)
    .values({
      id,
      kind,
      staffUserId: kind === "staff" ? userId : null,
      vendorUserId: kind === "vendor" ? userId : null,
      secretEnc: encryptString(key, Buffer.from(secret).toString("base64"), secretAd(id)),
    })
    .onConflictDoNothing()
    .returning({ id: twoFactorCredentials.id });
  // A twin request won the race: use its row.
  if (inserted.length === 0) return beginEnrolment(db, key, kind, userId);
  return { credentialId: id, secret };
}

async function replaceRecoveryCodes(db: DbOrTx, credentialId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.credentialId, credentialId));
  await db.insert(twoFactorRecoveryCodes).values(codes.map((c) => ({ credentialId, codeHash: hashRecoveryCode(c) })));
  return codes;
}

export type EnrolResult = { ok: true; recoveryCodes: string[] } | { ok: false; message: string };

/** Proves the phone has the secret; marks this session verified; returns the recovery codes once. */
export async function confirmEnrolment(
  db: Db,
  key: Buffer,
  actor: TwoFactorActor,
  input: { sessionId: string; code: string; now?: Date },
): Promise<EnrolResult> {
  const code = normaliseCode(input.code);
  if (!code) return { ok: false, message: CODE_REQUIRED };
  if (!(await secondStepAllowed(attemptsKey(actor)))) return { ok: false, message: CODE_THROTTLED };
  const pending = await findCredential(db, actor.kind, actor.userId);
  if (!pending || pending.confirmedAt)
    return { ok: false, message: "登録の手続きが見つかりません。もう一度最初からやり直してください。" };
  const step = matchTotp(decryptSecret(key, pending), code, input.now ?? new Date(), null);
  if (step === null) {
    await recordSecondStepFailure(attemptsKey(actor));
    return { ok: false, message: CODE_WRONG };
  }
  const codes = await db.transaction(async (tx) => {
    const [confirmed] = await tx
      .update(twoFactorCredentials)
      .set({ confirmedAt: new Date(), lastUsedCounter: step })
      .where(and(eq(twoFactorCredentials.id, pending.id), isNull(twoFactorCredentials.confirmedAt)))
      .returning({ id: twoFactorCredentials.id });
    if (!confirmed) return null;
    const recovery = await replaceRecoveryCodes(tx, pending.id);
    await tx.insert(sessionTwoFactor).values({ sessionId: input.sessionId, method: "enrolment" }).onConflictDoNothing();
    return recovery;
  });
  if (!codes) return { ok: false, message: "すでに登録が完了しています。" };
  await clearSecondStepFailures(attemptsKey(actor));
  await audit(db, actor, "two_factor.enrolled");
  return { ok: true, recoveryCodes: codes };
}

export type SecondFactorResult =
  { ok: true; method: "totp" | "recovery"; recoveryCodesLeft?: number } | { ok: false; message: string };

/**
 * Checks a 6-digit code or a recovery code and burns it: the TOTP step is stored with a
 * conditional update (two tabs submitting one code: exactly one wins), a recovery code is marked
 * used the same way. Wrong codes count against the per-account limit; a replayed code does too.
 */
export async function consumeSecondFactor(
  db: Db,
  key: Buffer,
  actor: TwoFactorActor,
  input: { code: string; now?: Date },
): Promise<SecondFactorResult> {
  const code = normaliseCode(input.code);
  if (!code) return { ok: false, message: CODE_REQUIRED };
  const limitKey = attemptsKey(actor);
  if (!(await secondStepAllowed(limitKey))) return { ok: false, message: CODE_THROTTLED };
  const credential = await findCredential(db, actor.kind, actor.userId);
  if (!credential?.confirmedAt) return { ok: false, message: "2段階認証が設定されていません。" };
  let result: SecondFactorResult | null = null;
  if (/^\d{6}$/.test(code)) {
    const step = matchTotp(decryptSecret(key, credential), code, input.now ?? new Date(), credential.lastUsedCounter);
    if (step !== null) {
      const won = await db
        .update(twoFactorCredentials)
        .set({ lastUsedCounter: step })
        .where(
          and(
            eq(twoFactorCredentials.id, credential.id),
            or(isNull(twoFactorCredentials.lastUsedCounter), lt(twoFactorCredentials.lastUsedCounter, step)),
          ),
        )
        .returning({ id: twoFactorCredentials.id });
      if (won.length) result = { ok: true, method: "totp" };
    }
  } else if (looksLikeRecoveryCode(code)) {
    const used = await db
      .update(twoFactorRecoveryCodes)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(twoFactorRecoveryCodes.credentialId, credential.id),
          eq(twoFactorRecoveryCodes.codeHash, hashRecoveryCode(code)),
          isNull(twoFactorRecoveryCodes.usedAt),
        ),
      )
      .returning({ id: twoFactorRecoveryCodes.id });
    if (used.length) {
      const left = await remainingRecoveryCodes(db, credential.id);
      result = { ok: true, method: "recovery", recoveryCodesLeft: left };
      await audit(db, actor, "two_factor.recovery_code_used", { remaining: left });
    }
  }
  if (!result) {
    await recordSecondStepFailure(limitKey);
    return { ok: false, message: CODE_WRONG };
  }
  await clearSecondStepFailures(limitKey);
  return result;
}

/** The login's second step: a good code marks this session as two-factor verified. */
export async function verifySecondFactor(
  db: Db,
  key: Buffer,
  actor: TwoFactorActor,
  input: { sessionId: string; code: string; now?: Date },
): Promise<SecondFactorResult> {
  const result = await consumeSecondFactor(db, key, actor, input);
  if (!result.ok) return result;
  await db.insert(sessionTwoFactor).values({ sessionId: input.sessionId, method: result.method }).onConflictDoNothing();
  await audit(db, actor, actor.kind === "vendor" ? "vendor.login.two_factor" : "staff.login.two_factor", {
    method: result.method,
  });
  return result;
}

export async function remainingRecoveryCodes(db: DbOrTx, credentialId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(twoFactorRecoveryCodes)
    .where(and(eq(twoFactorRecoveryCodes.credentialId, credentialId), isNull(twoFactorRecoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/** New recovery codes (the old ones stop working); needs a current code first. */
export async function regenerateRecoveryCodes(
  db: Db,
  key: Buffer,
  actor: TwoFactorActor,
  code: string,
): Promise<EnrolResult> {
  const check = await consumeSecondFactor(db, key, actor, { code });
  if (!check.ok) return check;
  const credential = (await findCredential(db, actor.kind, actor.userId))!;
  const codes = await db.transaction((tx) => replaceRecoveryCodes(tx, credential.id));
  await audit(db, actor, "two_factor.recovery_codes_regenerated");
  return { ok: true, recoveryCodes: codes };
}

/** City staff only (vendor staff must keep it): needs a current code, then forgets the secret. */
export async function disableTwoFactor(
  db: Db,
  key: Buffer,
  actor: TwoFactorActor,
  code: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  if (actor.kind === "vendor") return { ok: false, message: "運営事業者のアカウントでは2段階認証を解除できません。" };
  const check = await consumeSecondFactor(db, key, actor, { code });
  if (!check.ok) return check;
  await db.delete(twoFactorCredentials).where(eq(twoFactorCredentials.staffUserId, actor.userId));
  await audit(db, actor, "two_factor.disabled");
  return { ok: true };
}

/** Abandons a pending enrolment (nothing to audit: it never protected anything). */
export async function cancelEnrolment(db: DbOrTx, kind: SessionKind, userId: string) {
  await db
    .delete(twoFactorCredentials)
    .where(and(eq(subjectColumn(kind), userId), isNull(twoFactorCredentials.confirmedAt)));
}
