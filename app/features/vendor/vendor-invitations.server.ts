import { TransactionRollbackError, and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { vendorInvitations, vendorUsers } from "#db/schema/index";
import { generateSessionToken, sessionIdFromToken } from "~/auth/session.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { writePlatformOutbox } from "~/features/outbox/outbox.server";
import { INVITATION_TTL_MS } from "~/features/staff/invitations.server";
import { decryptString, encryptString } from "~/lib/crypto.server";
import { createVendorUser } from "./vendor-users.server";

/**
 * Vendor staff invitations (ADR 023), the vendor-side twin of the city staff invitation: a
 * single-use link (token stored hashed for the lookup, encrypted for the mail job), valid 72 hours,
 * mailed through the outbox (a platform row: no city). Accepting creates the vendor account with
 * the city join's password rules; two-factor enrolment follows at once (ADR 015).
 */
export const VENDOR_INVITATION_TTL_MS = INVITATION_TTL_MS;

/** Who invites: a colleague on /vendor/staff, or an operator at a shell (`npm run vendor:create`). */
export type VendorInviter = { kind: "vendor"; id: string } | { kind: "cli"; osUser: string };

export const DUPLICATE_VENDOR = "このメールアドレスはすでに運営スタッフとして登録されています。";
export const INVITATION_INVALID =
  "この招待リンクは無効です。期限切れか、すでに使用されています。ほかの運営スタッフに再招待を依頼してください。";

export type CreateVendorInvitationResult =
  { ok: true; invitationId: string; token: string; expiresAt: Date } | { ok: false; field: "email"; message: string };

const aad = (id: string) => `vendor-invitation:${id}`;

export function vendorInvitationUrl(appOrigin: string, token: string) {
  return `${appOrigin.replace(/\/+$/, "")}/vendor/invite/${token}`;
}

/**
 * One transaction: earlier pending invitations for the address are revoked (only the newest link
 * works), the invitation is stored, its e-mail job written to the outbox (unless `mail: false` — the
 * CLI prints the link instead) and the vendor audit records who invited whom.
 * `email` and `displayName` are already validated (vendorInviteSchema).
 */
export async function createVendorInvitation(
  db: Db,
  key: Buffer,
  input: {
    email: string;
    displayName: string;
    invitedBy: VendorInviter;
    ip?: string | null;
    mail?: boolean;
    resentFrom?: string;
  },
  now = new Date(),
): Promise<CreateVendorInvitationResult> {
  const email = input.email.toLowerCase();
  return db.transaction(async (tx) => {
    if (await findVendorByEmail(tx, email))
      return { ok: false as const, field: "email" as const, message: DUPLICATE_VENDOR };
    await tx
      .update(vendorInvitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(vendorInvitations.email, email),
          isNull(vendorInvitations.acceptedAt),
          isNull(vendorInvitations.revokedAt),
        ),
      );
    const id = crypto.randomUUID();
    const token = generateSessionToken();
    const expiresAt = new Date(now.getTime() + VENDOR_INVITATION_TTL_MS);
    await tx.insert(vendorInvitations).values({
      id,
      email,
      displayName: input.displayName,
      tokenHash: sessionIdFromToken(token),
      tokenCiphertext: encryptString(key, token, aad(id)),
      invitedByVendorId: input.invitedBy.kind === "vendor" ? input.invitedBy.id : null,
      expiresAt,
      createdAt: now,
    });
    if (input.mail !== false) await writePlatformOutbox(tx, "send-vendor-invitation", { invitationId: id });
    await recordVendorAudit(tx, {
      vendorUserId: input.invitedBy.kind === "vendor" ? input.invitedBy.id : null,
      action: "vendor.staff.invite",
      detail: {
        invitationId: id,
        email,
        via: input.invitedBy.kind === "vendor" ? "console" : "cli",
        ...(input.invitedBy.kind === "cli" ? { osUser: input.invitedBy.osUser } : {}),
        ...(input.resentFrom ? { resentFrom: input.resentFrom } : {}),
        mailed: input.mail !== false,
      },
      ip: input.ip,
    });
    return { ok: true as const, invitationId: id, token, expiresAt };
  });
}

/** The plain token, for the e-mail job only (decrypted from the row it is bound to). */
export function vendorInvitationToken(key: Buffer, invitation: { id: string; tokenCiphertext: string }) {
  return decryptString(key, invitation.tokenCiphertext, aad(invitation.id));
}

export type VendorInvitationRow = {
  id: string;
  email: string;
  displayName: string;
  expiresAt: Date;
  createdAt: Date;
  expired: boolean;
};

/** Open invitations (not accepted, not cancelled), expired ones included so they can be resent. */
export async function listOpenVendorInvitations(db: Db, now = new Date()): Promise<VendorInvitationRow[]> {
  const rows = await db
    .select({
      id: vendorInvitations.id,
      email: vendorInvitations.email,
      displayName: vendorInvitations.displayName,
      expiresAt: vendorInvitations.expiresAt,
      createdAt: vendorInvitations.createdAt,
    })
    .from(vendorInvitations)
    .where(and(isNull(vendorInvitations.acceptedAt), isNull(vendorInvitations.revokedAt)))
    .orderBy(desc(vendorInvitations.createdAt));
  return rows.map((r) => ({ ...r, expired: r.expiresAt <= now }));
}

const isUuid = (v: string) => /^[0-9a-f-]{36}$/i.test(v);
const NOT_OPEN = "この招待は見つからないか、すでに受諾または取り消しされています。一覧を読み込み直してください。";

/** Resend = a fresh link and a fresh 72 hours for the same person; the old link stops working. */
export async function resendVendorInvitation(
  db: Db,
  key: Buffer,
  input: { invitationId: string; actorId: string; ip?: string | null },
  now = new Date(),
) {
  const [inv] = isUuid(input.invitationId)
    ? await db.select().from(vendorInvitations).where(eq(vendorInvitations.id, input.invitationId))
    : [];
  if (!inv || inv.acceptedAt || inv.revokedAt) return { ok: false as const, message: NOT_OPEN };
  const created = await createVendorInvitation(
    db,
    key,
    {
      email: inv.email,
      displayName: inv.displayName,
      invitedBy: { kind: "vendor", id: input.actorId },
      ip: input.ip,
      resentFrom: inv.id,
    },
    now,
  );
  return created.ok
    ? { ok: true as const, message: `${inv.email} に招待メールを再送しました。以前のリンクは使えなくなりました。` }
    : { ok: false as const, message: created.message };
}

export async function cancelVendorInvitation(
  db: Db,
  input: { invitationId: string; actorId: string; ip?: string | null },
  now = new Date(),
) {
  if (!isUuid(input.invitationId)) return { ok: false as const, message: NOT_OPEN };
  return db.transaction(async (tx) => {
    const [inv] = await tx
      .update(vendorInvitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(vendorInvitations.id, input.invitationId),
          isNull(vendorInvitations.acceptedAt),
          isNull(vendorInvitations.revokedAt),
        ),
      )
      .returning();
    if (!inv) return { ok: false as const, message: NOT_OPEN };
    await recordVendorAudit(tx, {
      vendorUserId: input.actorId,
      action: "vendor.staff.invitation.cancel",
      detail: { invitationId: inv.id, email: inv.email },
      ip: input.ip,
    });
    return { ok: true as const, message: `${inv.email} への招待を取り消しました。リンクはもう使えません。` };
  });
}

export type VendorInvitationLookup =
  { state: "valid"; email: string; displayName: string; expiresAt: Date } | { state: "invalid" | "expired" | "used" };

export async function lookupVendorInvitation(db: Db, token: string, now = new Date()): Promise<VendorInvitationLookup> {
  if (!/^[a-z2-7]{32}$/.test(token)) return { state: "invalid" };
  const [inv] = await db
    .select()
    .from(vendorInvitations)
    .where(eq(vendorInvitations.tokenHash, sessionIdFromToken(token)));
  if (!inv || inv.revokedAt) return { state: "invalid" };
  if (inv.acceptedAt) return { state: "used" };
  if (inv.expiresAt <= now) return { state: "expired" };
  return { state: "valid", email: inv.email, displayName: inv.displayName, expiresAt: inv.expiresAt };
}

export type AcceptVendorResult = { ok: true; vendorUserId: string } | { ok: false; message: string };

/**
 * Single use: the conditional UPDATE claims the invitation, so a replayed link or a double submit
 * finds nothing to claim. An address that became a vendor account meanwhile (another invitation,
 * the CLI) is refused rather than given a second account. `displayName`/`password` are already
 * validated with the city join's schema (acceptInvitationSchema).
 */
export async function acceptVendorInvitation(
  db: Db,
  input: { token: string; displayName: string; password: string; ip?: string | null },
  now = new Date(),
): Promise<AcceptVendorResult> {
  if (!/^[a-z2-7]{32}$/.test(input.token)) return { ok: false, message: INVITATION_INVALID };
  return db
    .transaction(async (tx) => {
      const [inv] = await tx
        .update(vendorInvitations)
        .set({ acceptedAt: now })
        .where(
          and(
            eq(vendorInvitations.tokenHash, sessionIdFromToken(input.token)),
            isNull(vendorInvitations.acceptedAt),
            isNull(vendorInvitations.revokedAt),
            gt(vendorInvitations.expiresAt, now),
          ),
        )
        .returning();
      if (!inv) return { ok: false as const, message: INVITATION_INVALID };
      if (await findVendorByEmail(tx, inv.email)) {
        tx.rollback();
      }
      const user = await createVendorUser(tx, {
        email: inv.email,
        displayName: input.displayName,
        password: input.password,
      });
      await tx.update(vendorInvitations).set({ acceptedByVendorId: user.id }).where(eq(vendorInvitations.id, inv.id));
      await recordVendorAudit(tx, {
        vendorUserId: user.id,
        action: "vendor.staff.invitation.accept",
        detail: { invitationId: inv.id, invitedByVendorId: inv.invitedByVendorId },
        ip: input.ip,
      });
      return { ok: true as const, vendorUserId: user.id };
    })
    .catch((e: unknown) => {
      // The rollback above, or the unique e-mail losing a race with a concurrent account creation.
      const code =
        (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
      if (e instanceof TransactionRollbackError || code === "23505")
        return { ok: false as const, message: DUPLICATE_VENDOR };
      throw e;
    });
}

async function findVendorByEmail(db: DbOrTx, email: string) {
  const [u] = await db
    .select({ id: vendorUsers.id })
    .from(vendorUsers)
    .where(eq(vendorUsers.email, email.toLowerCase()));
  return u ?? null;
}
