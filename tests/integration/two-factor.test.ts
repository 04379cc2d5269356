import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, describe, expect, it } from "vitest";
import {
  auditLog,
  sessions,
  sessionTwoFactor,
  twoFactorCredentials,
  twoFactorRecoveryCodes,
  vendorAuditLog,
} from "#db/schema/index";
import { requireStaff, requireVendor } from "~/auth/guards.server";
import { loginStaff, loginVendor } from "~/auth/login.server";
import { createSession, sessionIdFromToken } from "~/auth/session.server";
import { SECOND_STEP_WINDOW_MS, verifyPageAction } from "~/auth/two-factor/pages.server";
import { isReplayedTotp, matchTotp, totpCodeAt, totpCounterAt } from "~/auth/two-factor/totp.server";
import {
  CODE_THROTTLED,
  CODE_WRONG,
  beginEnrolment,
  confirmEnrolment,
  consumeSecondFactor,
  disableTwoFactor,
  regenerateRecoveryCodes,
  secondFactorState,
  verifySecondFactor,
} from "~/auth/two-factor/two-factor.server";
import { decryptString, masterKey } from "~/lib/crypto.server";
import { closeRedis } from "~/lib/redis.server";
import { tenantContext } from "~/tenants/context";
import { makeStaff, makeVendor } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { enrolTotp } from "#tests/factories/two-factor";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
const key = masterKey(process.env.MADOGUCHI_MASTER_KEY ?? "ZGV2LW9ubHktbWFzdGVyLWtleS1kby1ub3QtdXNlISE=");
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

const at = (iso: string) => new Date(iso);

describe("TOTP codes", () => {
  const secret = new Uint8Array(20).map((_, i) => i + 1);
  const now = at("2026-03-01T09:00:10Z");

  it("accepts the current step and one either side, and nothing further", () => {
    const c = totpCounterAt(now);
    const codeAtStep = (offset: number) => totpCodeAt(secret, new Date(now.getTime() + offset * 30_000));
    expect(matchTotp(secret, codeAtStep(0), now, null)).toBe(c);
    expect(matchTotp(secret, codeAtStep(-1), now, null)).toBe(c - 1);
    expect(matchTotp(secret, codeAtStep(1), now, null)).toBe(c + 1);
    expect(matchTotp(secret, codeAtStep(-2), now, null)).toBeNull();
    expect(matchTotp(secret, codeAtStep(2), now, null)).toBeNull();
    expect(matchTotp(secret, "12345", now, null)).toBeNull();
  });

  it("skips steps at or below the last one used (replay) and says so", () => {
    const c = totpCounterAt(now);
    const code = totpCodeAt(secret, now);
    expect(matchTotp(secret, code, now, c)).toBeNull();
    expect(isReplayedTotp(secret, code, now, c)).toBe(true);
    expect(matchTotp(secret, totpCodeAt(secret, new Date(now.getTime() + 30_000)), now, c)).toBe(c + 1);
  });
});

async function vendorWithSession() {
  const v = await makeVendor(dbs.appDb);
  const s = await createSession(dbs.appDb, "vendor", v.user.id);
  return { ...v, token: s.token, sessionId: sessionIdFromToken(s.token) };
}

describe("enrolment", () => {
  it("stores the secret encrypted and bound to its row, confirms with a code, issues 10 single-use recovery codes, audits", async () => {
    const v = await vendorWithSession();
    const actor = { kind: "vendor" as const, userId: v.user.id };
    const pending = (await beginEnrolment(dbs.appDb, key, "vendor", v.user.id))!;
    // Resuming gives the same secret (the QR code a person already scanned stays valid).
    expect((await beginEnrolment(dbs.appDb, key, "vendor", v.user.id))!.secret).toEqual(pending.secret);
    const [row] = await dbs.ownerDb
      .select()
      .from(twoFactorCredentials)
      .where(eq(twoFactorCredentials.id, pending.credentialId));
    expect(row!.secretEnc).not.toContain(Buffer.from(pending.secret).toString("base64"));
    expect(() => decryptString(key, row!.secretEnc, "two_factor_credentials:another-row:secret")).toThrow();

    const now = new Date();
    expect(
      await confirmEnrolment(dbs.appDb, key, actor, {
        sessionId: v.sessionId,
        code: "000000" === totpCodeAt(pending.secret, now) ? "111111" : "000000",
        now,
      }),
    ).toEqual({ ok: false, message: CODE_WRONG });
    const done = await confirmEnrolment(dbs.appDb, key, actor, {
      sessionId: v.sessionId,
      code: totpCodeAt(pending.secret, now),
      now,
    });
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    expect(done.recoveryCodes).toHaveLength(10);
    expect(new Set(done.recoveryCodes).size).toBe(10);
    const stored = await dbs.ownerDb
      .select()
      .from(twoFactorRecoveryCodes)
      .where(eq(twoFactorRecoveryCodes.credentialId, pending.credentialId));
    expect(stored.map((r) => r.codeHash)).not.toContain(done.recoveryCodes[0]);
    expect(await secondFactorState(dbs.appDb, "vendor", v.user.id, v.sessionId)).toEqual({
      enrolled: true,
      verified: true,
    });
    // Confirmed: a new enrolment cannot replace it.
    expect(await beginEnrolment(dbs.appDb, key, "vendor", v.user.id)).toBeNull();
    const audits = await dbs.ownerDb.select().from(vendorAuditLog).where(eq(vendorAuditLog.vendorUserId, v.user.id));
    expect(audits.map((a) => a.action)).toContain("two_factor.enrolled");

    // The enrolment code itself cannot be replayed at the next login.
    const other = await createSession(dbs.appDb, "vendor", v.user.id);
    const replay = await verifySecondFactor(dbs.appDb, key, actor, {
      sessionId: sessionIdFromToken(other.token),
      code: totpCodeAt(pending.secret, now),
      now,
    });
    expect(replay).toEqual({ ok: false, message: CODE_WRONG });

    // A recovery code works once (typed in capitals and without the hyphen), then never again.
    const rc = done.recoveryCodes[3]!;
    const first = await verifySecondFactor(dbs.appDb, key, actor, {
      sessionId: sessionIdFromToken(other.token),
      code: rc.replace("-", "").toUpperCase(),
    });
    expect(first).toEqual({ ok: true, method: "recovery", recoveryCodesLeft: 9 });
    expect(await consumeSecondFactor(dbs.appDb, key, actor, { code: rc })).toEqual({ ok: false, message: CODE_WRONG });
    const used = await dbs.ownerDb
      .select()
      .from(vendorAuditLog)
      .where(
        and(eq(vendorAuditLog.vendorUserId, v.user.id), eq(vendorAuditLog.action, "two_factor.recovery_code_used")),
      );
    expect(used).toHaveLength(1);
    expect(used[0]!.detail).toEqual({ remaining: 9 });
  });
});

describe("second step", () => {
  it("one code opens one session even when two tabs submit it at once", async () => {
    const v = await vendorWithSession();
    const { secret } = await enrolTotp(dbs.appDb, key, "vendor", v.user.id);
    const s2 = sessionIdFromToken((await createSession(dbs.appDb, "vendor", v.user.id)).token);
    const now = new Date();
    const code = totpCodeAt(secret, now);
    const actor = { kind: "vendor" as const, userId: v.user.id };
    const results = await Promise.all(
      [v.sessionId, s2].map((sessionId) => verifySecondFactor(dbs.appDb, key, actor, { sessionId, code, now })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const marks = await dbs.ownerDb.select().from(sessionTwoFactor);
    expect(marks.filter((m) => m.sessionId === v.sessionId || m.sessionId === s2)).toHaveLength(1);
  });

  it("blocks after 5 wrong codes, even the right one, for that account only", async () => {
    const v = await vendorWithSession();
    const { secret } = await enrolTotp(dbs.appDb, key, "vendor", v.user.id);
    const actor = { kind: "vendor" as const, userId: v.user.id };
    const now = new Date();
    const right = totpCodeAt(secret, now);
    const wrong = right === "123456" ? "654321" : "123456";
    for (let i = 0; i < 5; i++)
      expect(await consumeSecondFactor(dbs.appDb, key, actor, { code: wrong, now })).toEqual({
        ok: false,
        message: CODE_WRONG,
      });
    expect(await consumeSecondFactor(dbs.appDb, key, actor, { code: right, now })).toEqual({
      ok: false,
      message: CODE_THROTTLED,
    });
    const other = await vendorWithSession();
    const o = await enrolTotp(dbs.appDb, key, "vendor", other.user.id);
    expect(
      (
        await consumeSecondFactor(
          dbs.appDb,
          key,
          { kind: "vendor", userId: other.user.id },
          { code: totpCodeAt(o.secret, now), now },
        )
      ).ok,
    ).toBe(true);
  });

  it("regenerating recovery codes needs a code and retires the old ones", async () => {
    const v = await vendorWithSession();
    const pending = (await beginEnrolment(dbs.appDb, key, "vendor", v.user.id))!;
    const t0 = new Date(Date.now() - 30_000);
    const actor = { kind: "vendor" as const, userId: v.user.id };
    const first = await confirmEnrolment(dbs.appDb, key, actor, {
      sessionId: v.sessionId,
      code: totpCodeAt(pending.secret, t0),
      now: t0,
    });
    if (!first.ok) throw new Error(first.message);
    expect((await regenerateRecoveryCodes(dbs.appDb, key, actor, "not-a-code")).ok).toBe(false);
    const again = await regenerateRecoveryCodes(dbs.appDb, key, actor, totpCodeAt(pending.secret, new Date()));
    if (!again.ok) throw new Error(again.message);
    expect(await consumeSecondFactor(dbs.appDb, key, actor, { code: first.recoveryCodes[0]! })).toEqual({
      ok: false,
      message: CODE_WRONG,
    });
    expect((await consumeSecondFactor(dbs.appDb, key, actor, { code: again.recoveryCodes[0]! })).ok).toBe(true);
  });
});

const callGuard = (guard: typeof requireVendor, request: Request, context: RouterContextProvider) =>
  Promise.resolve()
    .then(() =>
      guard({ request, context, params: {}, unstable_pattern: "" } as never, async () => new Response("reached")),
    )
    .then(
      (r) => r as Response,
      (e: unknown) => e as Response,
    );

describe("guards and login", () => {
  it("vendor: password only → enrolment; enrolled → code prompt; verified → the console", async () => {
    const v = await makeVendor(dbs.appDb);
    const login = await loginVendor(dbs.appDb, { email: v.user.email, password: v.password, ip: "203.0.113.7" });
    if (!login.ok) throw new Error(login.message);
    expect(login.secondStep).toBe("enrol");
    const req = () =>
      new Request("http://madoguchi.test/vendor/cities/new", { headers: { cookie: `mdg_vendor=${login.token}` } });
    const toEnrol = await callGuard(requireVendor, req(), new RouterContextProvider());
    expect(toEnrol.status).toBe(302);
    expect(toEnrol.headers.get("location")).toBe("/vendor/two-factor?next=%2Fvendor%2Fcities%2Fnew");

    const { secret } = await enrolTotp(dbs.appDb, key, "vendor", v.user.id);
    const toVerify = await callGuard(requireVendor, req(), new RouterContextProvider());
    expect(toVerify.headers.get("location")).toBe("/vendor/login/verify?next=%2Fvendor%2Fcities%2Fnew");
    const again = await loginVendor(dbs.appDb, { email: v.user.email, password: v.password, ip: "203.0.113.7" });
    expect(again.ok && again.secondStep).toBe("verify");

    const ok = await verifySecondFactor(
      dbs.appDb,
      key,
      { kind: "vendor", userId: v.user.id },
      { sessionId: sessionIdFromToken(login.token), code: totpCodeAt(secret, new Date()) },
    );
    expect(ok.ok).toBe(true);
    expect(await (await callGuard(requireVendor, req(), new RouterContextProvider())).text()).toBe("reached");
    const audits = await dbs.ownerDb.select().from(vendorAuditLog).where(eq(vendorAuditLog.vendorUserId, v.user.id));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(["vendor.login", "vendor.login.two_factor"]));
    expect(
      (await disableTwoFactor(dbs.appDb, key, { kind: "vendor", userId: v.user.id }, totpCodeAt(secret, new Date())))
        .ok,
    ).toBe(false);
  });

  it("city staff: optional; once enrolled required at login; disabling needs a code and is audited in the city", async () => {
    const city = await makeTenant(dbs.appDb);
    const s = await makeStaff(dbs.appDb, { tenantId: city.id });
    const context = () => {
      const c = new RouterContextProvider();
      c.set(tenantContext, city);
      return c;
    };
    const login = await loginStaff(dbs.appDb, {
      tenant: city,
      email: s.user.email,
      password: s.password,
      ip: "203.0.113.8",
    });
    if (!login.ok) throw new Error(login.message);
    expect(login.secondStep).toBeNull();
    const req = () =>
      new Request(`http://madoguchi.test/c/${city.slug}/admin/staff`, {
        headers: { cookie: `mdg_staff=${login.token}` },
      });
    expect(await (await callGuard(requireStaff, req(), context())).text()).toBe("reached");

    const { secret } = await enrolTotp(dbs.appDb, key, "staff", s.user.id);
    const refused = await callGuard(requireStaff, req(), context());
    expect(refused.headers.get("location")).toBe(
      `/c/${city.slug}/admin/login/verify?next=%2Fc%2F${city.slug}%2Fadmin%2Fstaff`,
    );
    const actor = { kind: "staff" as const, userId: s.user.id, tenantId: city.id };
    const t0 = new Date(Date.now() - 30_000);
    expect(
      (
        await verifySecondFactor(dbs.appDb, key, actor, {
          sessionId: sessionIdFromToken(login.token),
          code: totpCodeAt(secret, t0),
          now: t0,
        })
      ).ok,
    ).toBe(true);
    expect(await (await callGuard(requireStaff, req(), context())).text()).toBe("reached");

    expect((await disableTwoFactor(dbs.appDb, key, actor, "999999")).ok).toBe(false);
    expect(await disableTwoFactor(dbs.appDb, key, actor, totpCodeAt(secret, new Date()))).toEqual({ ok: true });
    const audits = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.actorId, s.user.id)));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(["staff.login", "staff.login.two_factor", "two_factor.disabled"]),
    );
    // A fresh password-only session is enough again.
    const fresh = await loginStaff(dbs.appDb, {
      tenant: city,
      email: s.user.email,
      password: s.password,
      ip: "203.0.113.8",
    });
    expect(fresh.ok && fresh.secondStep).toBeNull();
  });
});

describe("second-step pages", () => {
  it("a password-only session older than 10 minutes cannot be used to enter codes: it is ended", async () => {
    const v = await makeVendor(dbs.appDb);
    const { secret } = await enrolTotp(dbs.appDb, key, "vendor", v.user.id);
    const fresh = await createSession(dbs.appDb, "vendor", v.user.id);
    const stale = await createSession(dbs.appDb, "vendor", v.user.id);
    await dbs.ownerDb
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - SECOND_STEP_WINDOW_MS - 60_000) })
      .where(eq(sessions.id, sessionIdFromToken(stale.token)));
    const where = { kind: "vendor", home: "/vendor", login: "/vendor/login" } as const;
    const post = (token: string) => {
      const body = new URLSearchParams({ code: totpCodeAt(secret, new Date()), next: "/vendor/jobs" });
      return new Request("http://madoguchi.test/vendor/login/verify", {
        method: "POST",
        body,
        headers: { cookie: `mdg_vendor=${token}`, "content-type": "application/x-www-form-urlencoded" },
      });
    };
    const refused = (await verifyPageAction(post(stale.token), where, null).catch((e: unknown) => e)) as Response;
    expect(refused.headers.get("location")).toBe("/vendor/login");
    expect(
      await dbs.ownerDb
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdFromToken(stale.token))),
    ).toHaveLength(0);
    const passed = (await verifyPageAction(post(fresh.token), where, null).catch((e: unknown) => e)) as Response;
    expect(passed.headers.get("location")).toBe("/vendor/jobs");
  });
});
