import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "#db/schema/index";
import { LOGIN_FAILED, LOGIN_THROTTLED, loginStaff, loginVendor } from "~/auth/login.server";
import {
  SESSION_LIFETIME_MS,
  createSession,
  invalidateAllSessions,
  sessionIdFromToken,
  validateSessionToken,
} from "~/auth/session.server";
import { closeRedis } from "~/lib/redis.server";
import { makeStaff, makeVendor } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

describe("sessions", () => {
  let staffId: string;
  beforeAll(async () => {
    const t = await makeTenant(dbs.appDb);
    staffId = (await makeStaff(dbs.appDb, { tenantId: t.id })).user.id;
  });

  it("stores only the SHA-256 of the token and validates the token", async () => {
    const { token } = await createSession(dbs.appDb, "staff", staffId);
    const stored = await dbs.ownerDb.select().from(sessions).where(eq(sessions.staffUserId, staffId));
    expect(stored.map((s) => s.id)).toContain(sessionIdFromToken(token));
    expect(stored.map((s) => s.id)).not.toContain(token);
    const valid = await validateSessionToken(dbs.appDb, "staff", token);
    expect(valid?.user.id).toBe(staffId);
    expect(await validateSessionToken(dbs.appDb, "vendor", token)).toBeNull();
  });

  it("slides: a session in its second half is extended; an expired one is deleted", async () => {
    const start = new Date("2026-01-01T00:00:00Z");
    const { token } = await createSession(dbs.appDb, "staff", staffId, start);
    const early = await validateSessionToken(dbs.appDb, "staff", token, new Date(start.getTime() + 1000));
    expect(early?.renewed).toBe(false);
    const late = new Date(start.getTime() + SESSION_LIFETIME_MS * 0.75);
    const renewed = await validateSessionToken(dbs.appDb, "staff", token, late);
    expect(renewed?.renewed).toBe(true);
    expect(renewed!.expiresAt.getTime()).toBe(late.getTime() + SESSION_LIFETIME_MS);
    const afterExpiry = new Date(renewed!.expiresAt.getTime() + 1);
    expect(await validateSessionToken(dbs.appDb, "staff", token, afterExpiry)).toBeNull();
    expect(
      await dbs.ownerDb
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdFromToken(token))),
    ).toHaveLength(0);
  });

  it("logout everywhere ends every session of that person only", async () => {
    const t = await makeTenant(dbs.appDb);
    const other = await makeStaff(dbs.appDb, { tenantId: t.id });
    const s1 = await createSession(dbs.appDb, "staff", staffId);
    const s2 = await createSession(dbs.appDb, "staff", staffId);
    const o = await createSession(dbs.appDb, "staff", other.user.id);
    expect(await invalidateAllSessions(dbs.appDb, "staff", staffId)).toBeGreaterThanOrEqual(2);
    expect(await validateSessionToken(dbs.appDb, "staff", s1.token)).toBeNull();
    expect(await validateSessionToken(dbs.appDb, "staff", s2.token)).toBeNull();
    expect(await validateSessionToken(dbs.appDb, "staff", o.token)).not.toBeNull();
  });
});

describe("staff login", () => {
  it("logs a member in, and gives the same answer for a wrong password, an unknown e-mail and a member of another city", async () => {
    const cityA = await makeTenant(dbs.appDb);
    const cityB = await makeTenant(dbs.appDb);
    const alice = await makeStaff(dbs.appDb, { tenantId: cityA.id });
    const ip = `10.0.0.${Math.floor(Math.random() * 200)}`;
    const ok = await loginStaff(dbs.appDb, {
      tenant: cityA,
      email: alice.user.email.toUpperCase(),
      password: alice.password,
      ip,
    });
    expect(ok.ok).toBe(true);
    const wrong = await loginStaff(dbs.appDb, {
      tenant: cityA,
      email: alice.user.email,
      password: "nope-nope-nope",
      ip,
    });
    const unknown = await loginStaff(dbs.appDb, {
      tenant: cityA,
      email: "ghost@city.example",
      password: "whatever-it-is",
      ip,
    });
    const otherCity = await loginStaff(dbs.appDb, {
      tenant: cityB,
      email: alice.user.email,
      password: alice.password,
      ip,
    });
    for (const r of [wrong, unknown, otherCity]) expect(r).toEqual({ ok: false, message: LOGIN_FAILED });
  });

  it("throttles repeated failures for one account from one address, and only that pair", async () => {
    const city = await makeTenant(dbs.appDb);
    const bob = await makeStaff(dbs.appDb, { tenantId: city.id });
    const ip = "192.0.2.10";
    for (let i = 0; i < 5; i++) {
      expect(
        await loginStaff(dbs.appDb, { tenant: city, email: bob.user.email, password: `bad-${i}-password`, ip }),
      ).toEqual({ ok: false, message: LOGIN_FAILED });
    }
    // Even the right password is refused while blocked, with the throttle message.
    expect(await loginStaff(dbs.appDb, { tenant: city, email: bob.user.email, password: bob.password, ip })).toEqual({
      ok: false,
      message: LOGIN_THROTTLED,
    });
    // The same person from another address is not locked out by a stranger's guessing.
    expect(
      (await loginStaff(dbs.appDb, { tenant: city, email: bob.user.email, password: bob.password, ip: "192.0.2.99" }))
        .ok,
    ).toBe(true);
  });
});

describe("vendor login", () => {
  it("logs vendor staff in and refuses a wrong password uniformly", async () => {
    const v = await makeVendor(dbs.appDb);
    expect((await loginVendor(dbs.appDb, { email: v.user.email, password: v.password, ip: "198.51.100.1" })).ok).toBe(
      true,
    );
    expect(
      await loginVendor(dbs.appDb, { email: v.user.email, password: "wrong-password!", ip: "198.51.100.1" }),
    ).toEqual({ ok: false, message: LOGIN_FAILED });
  });
});
