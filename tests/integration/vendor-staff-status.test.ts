import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, describe, expect, it } from "vitest";
import { passwordResets, vendorAuditLog, vendorUsers } from "#db/schema/index";
import { LOGIN_FAILED, loginVendor } from "~/auth/login.server";
import { requestPasswordReset } from "~/auth/password/reset.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { listVendorStaff } from "~/auth/two-factor/vendor-reset.server";
import { setVendorStaffActive, STATUS_MESSAGES } from "~/features/vendor/vendor-staff-status.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import * as staffPage from "~/routes/vendor.staff";
import { vendorContext } from "~/tenants/context";
import { makeVendor } from "#tests/factories/staff";
import { testDbs } from "#tests/setup/db";

/**
 * 利用停止 of vendor staff (offboarding): a colleague disables an account; its sessions and reset
 * links end, login answers exactly like a wrong password, no reset mail is issued; 再開 restores it.
 * Nobody disables themselves, and two colleagues disabling each other leave one active.
 */
const dbs = testDbs();
const key = masterKey(env().MADOGUCHI_MASTER_KEY);
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

const ip = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
const row = async (id: string) => (await dbs.ownerDb.select().from(vendorUsers).where(eq(vendorUsers.id, id)))[0]!;
const resetsOf = async (id: string) =>
  dbs.ownerDb.select().from(passwordResets).where(eq(passwordResets.vendorUserId, id));

describe("利用停止 of a vendor staff account", () => {
  it("ends sessions and reset links, refuses login like a wrong password, issues no reset mail; 再開 restores login", async () => {
    const actor = await makeVendor(dbs.appDb, { displayName: "運営 一" });
    const leaver = await makeVendor(dbs.appDb, { displayName: "退職 二郎" });
    const s1 = await createSession(dbs.appDb, "vendor", leaver.user.id);
    await requestPasswordReset(dbs.appDb, key, { kind: "vendor", email: leaver.user.email, ip: ip() });
    expect((await resetsOf(leaver.user.id)).filter((r) => !r.supersededAt)).toHaveLength(1);

    const r = await setVendorStaffActive(dbs.appDb, {
      actorId: actor.user.id,
      targetId: leaver.user.id,
      active: false,
      ip: "192.0.2.1",
    });
    expect(r).toEqual({
      ok: true,
      message: "退職 二郎さんを利用停止にし、ログイン中の端末（1件）からログアウトさせました。",
    });
    expect((await row(leaver.user.id)).disabledAt).not.toBeNull();
    expect(await validateSessionToken(dbs.appDb, "vendor", s1.token)).toBeNull();
    expect((await resetsOf(leaver.user.id)).every((x) => x.supersededAt !== null)).toBe(true);
    // A session that slipped in (created after the stop) is refused as well.
    const late = await createSession(dbs.appDb, "vendor", leaver.user.id);
    expect(await validateSessionToken(dbs.appDb, "vendor", late.token)).toBeNull();
    expect(await loginVendor(dbs.appDb, { email: leaver.user.email, password: leaver.password, ip: ip() })).toEqual({
      ok: false,
      message: LOGIN_FAILED,
    });
    const before = (await resetsOf(leaver.user.id)).length;
    await requestPasswordReset(dbs.appDb, key, { kind: "vendor", email: leaver.user.email, ip: ip() });
    expect(await resetsOf(leaver.user.id)).toHaveLength(before); // same answer, no link
    expect((await listVendorStaff(dbs.appDb)).find((s) => s.id === leaver.user.id)).toMatchObject({
      disabled: true,
      sessions: 0,
    });
    const audit = await dbs.ownerDb
      .select()
      .from(vendorAuditLog)
      .where(and(eq(vendorAuditLog.vendorUserId, actor.user.id), eq(vendorAuditLog.action, "vendor.staff.disable")));
    expect(audit.map((a) => a.detail)).toEqual([{ targetVendorUserId: leaver.user.id, sessionsEnded: 1 }]);
    expect(
      await setVendorStaffActive(dbs.appDb, { actorId: actor.user.id, targetId: leaver.user.id, active: false }),
    ).toEqual({ ok: false, message: STATUS_MESSAGES.alreadyDisabled });

    expect(
      await setVendorStaffActive(dbs.appDb, { actorId: actor.user.id, targetId: leaver.user.id, active: true }),
    ).toMatchObject({ ok: true });
    expect((await row(leaver.user.id)).disabledAt).toBeNull();
    expect((await loginVendor(dbs.appDb, { email: leaver.user.email, password: leaver.password, ip: ip() })).ok).toBe(
      true,
    );
    expect(
      await setVendorStaffActive(dbs.appDb, { actorId: actor.user.id, targetId: leaver.user.id, active: true }),
    ).toEqual({ ok: false, message: STATUS_MESSAGES.alreadyActive });
  });

  it("refuses oneself, an unknown target, and an actor who is disabled", async () => {
    const a = await makeVendor(dbs.appDb);
    const b = await makeVendor(dbs.appDb);
    expect(await setVendorStaffActive(dbs.appDb, { actorId: a.user.id, targetId: a.user.id, active: false })).toEqual({
      ok: false,
      message: STATUS_MESSAGES.self,
    });
    expect(
      await setVendorStaffActive(dbs.appDb, { actorId: a.user.id, targetId: crypto.randomUUID(), active: false }),
    ).toEqual({ ok: false, message: STATUS_MESSAGES.notFound });
    expect((await setVendorStaffActive(dbs.appDb, { actorId: a.user.id, targetId: b.user.id, active: false })).ok).toBe(
      true,
    );
    expect(await setVendorStaffActive(dbs.appDb, { actorId: b.user.id, targetId: a.user.id, active: false })).toEqual({
      ok: false,
      message: STATUS_MESSAGES.actorDisabled,
    });
    expect((await row(a.user.id)).disabledAt).toBeNull();
  });

  it("two colleagues disabling each other at the same moment leave one of them active, every time", async () => {
    for (let round = 0; round < 10; round++) {
      const a = await makeVendor(dbs.appDb);
      const b = await makeVendor(dbs.appDb);
      const results = await Promise.all([
        setVendorStaffActive(dbs.appDb, { actorId: a.user.id, targetId: b.user.id, active: false }),
        setVendorStaffActive(dbs.appDb, { actorId: b.user.id, targetId: a.user.id, active: false }),
      ]);
      expect(results.filter((x) => x.ok)).toHaveLength(1);
      expect(results.filter((x) => !x.ok)).toEqual([{ ok: false, message: STATUS_MESSAGES.actorDisabled }]);
      const disabled = [(await row(a.user.id)).disabledAt, (await row(b.user.id)).disabledAt].filter(Boolean);
      expect(disabled).toHaveLength(1);
    }
  });
});

describe("the vendor staff page's action", () => {
  it("asks once before 利用停止, then stops the account on the confirmed post", async () => {
    const me = await makeVendor(dbs.appDb);
    const other = await makeVendor(dbs.appDb, { displayName: "確認 三郎" });
    const post = (fields: Record<string, string>) => {
      const c = new RouterContextProvider();
      c.set(vendorContext, { user: me.user, sessionId: "s" } as never);
      const request = new Request("http://madoguchi.test/vendor/staff", {
        method: "POST",
        body: new URLSearchParams(fields),
      });
      return staffPage.action({ request, context: c, params: {}, unstable_pattern: "" } as never);
    };
    expect(await post({ intent: "disable", vendorUserId: other.user.id })).toEqual({
      intent: "confirm-disable",
      targetId: other.user.id,
    });
    expect((await row(other.user.id)).disabledAt).toBeNull();
    expect(await post({ intent: "disable", vendorUserId: other.user.id, confirmed: "1" })).toMatchObject({
      intent: "status",
      ok: true,
    });
    expect((await row(other.user.id)).disabledAt).not.toBeNull();
    expect(await post({ intent: "enable", vendorUserId: other.user.id })).toMatchObject({
      intent: "status",
      ok: true,
      message: "確認 三郎さんの利用を再開しました。パスワードと2段階認証は停止前のままです。",
    });
  });
});
