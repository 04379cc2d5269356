import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { sessions, twoFactorCredentials, twoFactorRecoveryCodes, vendorAuditLog } from "#db/schema/index";
import { loginVendor } from "~/auth/login.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { totpCodeAt } from "~/auth/two-factor/totp.server";
import { CODE_WRONG, regenerateRecoveryCodes } from "~/auth/two-factor/two-factor.server";
import {
  listVendorStaff,
  RESET_NOT_FOUND,
  RESET_NOTHING,
  RESET_SELF,
  resetVendorTwoFactor,
} from "~/auth/two-factor/vendor-reset.server";
import { masterKey } from "~/lib/crypto.server";
import { closeRedis } from "~/lib/redis.server";
import { makeVendor } from "#tests/factories/staff";
import { enrolTotp } from "#tests/factories/two-factor";
import { testDbs } from "#tests/setup/db";

/**
 * A vendor who lost both the authenticator and the recovery codes is let back in by a colleague
 * (ADR 015): the colleague confirms with a current code of their own; the credential, its recovery
 * codes and every session of the locked-out person go, and their next login starts enrolment.
 */
const dbs = testDbs();
const key = masterKey(process.env.MADOGUCHI_MASTER_KEY ?? "ZGV2LW9ubHktbWFzdGVyLWtleS1kby1ub3QtdXNlISE=");
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

/** A code of the step after `stepsAhead` steps, so one secret can be used several times in a test without the replay rule. */
const codeAt = (secret: Uint8Array, stepsAhead: number) =>
  totpCodeAt(secret, new Date(Date.now() + stepsAhead * 30_000));

async function enrolledVendor() {
  const v = await makeVendor(dbs.appDb);
  const { secret, credentialId } = await enrolTotp(dbs.appDb, key, "vendor", v.user.id);
  return { ...v, secret, credentialId };
}

describe("vendor two-factor reset by a colleague", () => {
  it("deletes the colleague's credential and recovery codes, ends their sessions, audits both ids, and their next login enrols again", async () => {
    const actor = await enrolledVendor();
    const lost = await enrolledVendor();
    const recovery = await regenerateRecoveryCodes(
      dbs.appDb,
      key,
      { kind: "vendor", userId: lost.user.id },
      codeAt(lost.secret, 0),
    );
    expect(recovery.ok).toBe(true);
    const s1 = await createSession(dbs.appDb, "vendor", lost.user.id);
    await createSession(dbs.appDb, "vendor", lost.user.id);
    const mine = await createSession(dbs.appDb, "vendor", actor.user.id);

    const listed = (await listVendorStaff(dbs.appDb)).find((r) => r.id === lost.user.id);
    expect(listed).toMatchObject({ twoFactor: "enrolled", sessions: 2, email: lost.user.email });

    const result = await resetVendorTwoFactor(dbs.appDb, key, {
      actorId: actor.user.id,
      targetId: lost.user.id,
      code: codeAt(actor.secret, 0),
      ip: "203.0.113.9",
    });
    expect(result).toMatchObject({ ok: true, sessionsEnded: 2 });

    expect(
      await dbs.ownerDb.select().from(twoFactorCredentials).where(eq(twoFactorCredentials.vendorUserId, lost.user.id)),
    ).toHaveLength(0);
    expect(
      await dbs.ownerDb
        .select()
        .from(twoFactorRecoveryCodes)
        .where(eq(twoFactorRecoveryCodes.credentialId, lost.credentialId)),
    ).toHaveLength(0);
    expect(await dbs.ownerDb.select().from(sessions).where(eq(sessions.vendorUserId, lost.user.id))).toHaveLength(0);
    expect(await validateSessionToken(dbs.appDb, "vendor", s1.token)).toBeNull();
    // The actor's own session and credential are untouched.
    expect(await validateSessionToken(dbs.appDb, "vendor", mine.token)).not.toBeNull();
    expect(
      await dbs.ownerDb.select().from(twoFactorCredentials).where(eq(twoFactorCredentials.vendorUserId, actor.user.id)),
    ).toHaveLength(1);

    const [audit] = await dbs.ownerDb
      .select()
      .from(vendorAuditLog)
      .where(and(eq(vendorAuditLog.vendorUserId, actor.user.id), eq(vendorAuditLog.action, "vendor.two_factor.reset")));
    expect(audit!.detail).toMatchObject({
      targetVendorUserId: lost.user.id,
      actorVendorUserId: actor.user.id,
      sessionsEnded: 2,
      wasConfirmed: true,
      confirmedWith: "totp",
    });
    expect(audit!.ip).toBe("203.0.113.9");

    const again = await loginVendor(dbs.appDb, { email: lost.user.email, password: lost.password, ip: "203.0.113.9" });
    expect(again.ok && again.secondStep).toBe("enrol");
    expect((await listVendorStaff(dbs.appDb)).find((r) => r.id === lost.user.id)).toMatchObject({
      twoFactor: "none",
      sessions: 1,
    });
  });

  it("refuses a reset of one's own, a wrong or replayed code of the actor, an unknown colleague and one with nothing to reset — changing nothing", async () => {
    const actor = await enrolledVendor();
    const other = await enrolledVendor();
    const session = await createSession(dbs.appDb, "vendor", other.user.id);

    expect(
      await resetVendorTwoFactor(dbs.appDb, key, {
        actorId: actor.user.id,
        targetId: actor.user.id,
        code: codeAt(actor.secret, 0),
      }),
    ).toEqual({ ok: false, message: RESET_SELF });
    // The colleague's own code does not confirm: it must be the actor's.
    expect(
      await resetVendorTwoFactor(dbs.appDb, key, {
        actorId: actor.user.id,
        targetId: other.user.id,
        code: codeAt(other.secret, 0) === codeAt(actor.secret, 0) ? "000000" : codeAt(other.secret, 0),
      }),
    ).toEqual({ ok: false, message: CODE_WRONG });
    expect(
      await resetVendorTwoFactor(dbs.appDb, key, {
        actorId: actor.user.id,
        targetId: "00000000-0000-4000-8000-000000000000",
        code: codeAt(actor.secret, 0),
      }),
    ).toEqual({ ok: false, message: RESET_NOT_FOUND });
    expect(
      await resetVendorTwoFactor(dbs.appDb, key, {
        actorId: actor.user.id,
        targetId: "not-a-uuid",
        code: codeAt(actor.secret, 0),
      }),
    ).toEqual({ ok: false, message: RESET_NOT_FOUND });
    const fresh = await makeVendor(dbs.appDb);
    expect(
      await resetVendorTwoFactor(dbs.appDb, key, {
        actorId: actor.user.id,
        targetId: fresh.user.id,
        code: codeAt(actor.secret, 0),
      }),
    ).toEqual({ ok: false, message: RESET_NOTHING });

    expect(
      await dbs.ownerDb.select().from(twoFactorCredentials).where(eq(twoFactorCredentials.vendorUserId, other.user.id)),
    ).toHaveLength(1);
    expect(await validateSessionToken(dbs.appDb, "vendor", session.token)).not.toBeNull();
    expect(
      await dbs.ownerDb
        .select()
        .from(vendorAuditLog)
        .where(
          and(eq(vendorAuditLog.vendorUserId, actor.user.id), eq(vendorAuditLog.action, "vendor.two_factor.reset")),
        ),
    ).toHaveLength(0);

    // A code is burned once: the same code cannot confirm a second reset.
    const third = await enrolledVendor();
    const code = codeAt(actor.secret, 1);
    expect(
      (await resetVendorTwoFactor(dbs.appDb, key, { actorId: actor.user.id, targetId: other.user.id, code })).ok,
    ).toBe(true);
    expect(
      await resetVendorTwoFactor(dbs.appDb, key, { actorId: actor.user.id, targetId: third.user.id, code }),
    ).toEqual({ ok: false, message: CODE_WRONG });
    expect(
      await dbs.ownerDb.select().from(twoFactorCredentials).where(eq(twoFactorCredentials.vendorUserId, third.user.id)),
    ).toHaveLength(1);
  });
});
