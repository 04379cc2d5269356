import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, memberships, type Tenant } from "#db/schema/index";
import { loginStaff } from "~/auth/login.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { createInvitation, lookupInvitation } from "~/features/staff/invitations.server";
import {
  changeStaffRole,
  MANAGE_MESSAGES,
  removeStaffMember,
  revokeStaffInvitation,
} from "~/features/staff/staff-manage.server";
import * as staffPage from "~/routes/c.$city.admin.staff";
import { staffContext, tenantContext } from "~/tenants/context";
import { closeRedis } from "~/lib/redis.server";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * City staff management on the admin's staff page: role changes, taking a colleague off the city
 * (access and sessions end at once), cancelling an invitation — all audited; nobody acts on
 * themselves, and two admins removing each other at once leave one admin, not none.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 5);
let city: Tenant;
let admin: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "職員管理テスト市" });
  admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
});
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

const actor = (s: Awaited<ReturnType<typeof makeStaff>>) => ({ staffUserId: s.user.id, ip: "192.0.2.10" });
const roleOf = async (membershipId: string) =>
  (await dbs.ownerDb.select().from(memberships).where(eq(memberships.id, membershipId)))[0]?.role ?? null;
const audits = async (action: string, targetId: string) =>
  dbs.ownerDb
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, action), eq(auditLog.targetId, targetId)));

function post(as: Awaited<ReturnType<typeof makeStaff>>, fields: Record<string, string>) {
  const c = new RouterContextProvider();
  c.set(tenantContext, city);
  c.set(staffContext, { user: as.user, membership: as.membership, sessionId: "s" });
  const request = new Request(`http://madoguchi.test/c/${city.slug}/admin/staff`, {
    method: "POST",
    body: new URLSearchParams(fields),
  });
  return staffPage.action({ request, context: c, params: { city: city.slug }, unstable_pattern: "" } as never);
}

describe("changing a colleague's role", () => {
  it("changes it and audits from → to; refuses the admin's own row, the same role and an unknown member", async () => {
    const op = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator", displayName: "窓口 花子" });
    const r = await changeStaffRole(dbs.appDb, {
      tenantId: city.id,
      membershipId: op.membership.id,
      role: "analyst",
      actor: actor(admin),
    });
    expect(r).toEqual({ ok: true, message: "窓口 花子さんの権限を「分析担当」に変更しました。" });
    expect(await roleOf(op.membership.id)).toBe("analyst");
    expect(await audits("staff.role.change", op.user.id)).toEqual([
      expect.objectContaining({ actorId: admin.user.id, detail: { from: "operator", to: "analyst" } }),
    ]);

    expect(
      await changeStaffRole(dbs.appDb, {
        tenantId: city.id,
        membershipId: op.membership.id,
        role: "analyst",
        actor: actor(admin),
      }),
    ).toEqual({ ok: false, message: MANAGE_MESSAGES.sameRole });
    expect(
      await changeStaffRole(dbs.appDb, {
        tenantId: city.id,
        membershipId: admin.membership.id,
        role: "operator",
        actor: actor(admin),
      }),
    ).toEqual({ ok: false, message: MANAGE_MESSAGES.self });
    expect(await roleOf(admin.membership.id)).toBe("admin");
    expect(
      await changeStaffRole(dbs.appDb, {
        tenantId: city.id,
        membershipId: crypto.randomUUID(),
        role: "admin",
        actor: actor(admin),
      }),
    ).toEqual({ ok: false, message: MANAGE_MESSAGES.notFound });
  });

  it("refuses an actor who is no longer an admin (the guard's read is stale), and a member of another city", async () => {
    const op = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
    const other = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
    expect(
      await changeStaffRole(dbs.appDb, {
        tenantId: city.id,
        membershipId: other.membership.id,
        role: "admin",
        actor: actor(op),
      }),
    ).toEqual({ ok: false, message: MANAGE_MESSAGES.notAdmin });
    expect(await roleOf(other.membership.id)).toBe("operator");
    const town = await makeTenant(dbs.appDb, { name: "隣町" });
    const stranger = await makeStaff(dbs.appDb, { tenantId: town.id, role: "operator" });
    // Another city's membership id is not found in this city (RLS and the tenant filter).
    expect(
      await changeStaffRole(dbs.appDb, {
        tenantId: city.id,
        membershipId: stranger.membership.id,
        role: "admin",
        actor: actor(admin),
      }),
    ).toEqual({ ok: false, message: MANAGE_MESSAGES.notFound });
    expect(await roleOf(stranger.membership.id)).toBe("operator");
  });
});

describe("taking a colleague off the city", () => {
  it("deletes the membership, ends every session, refuses their next login here, and audits it", async () => {
    const leaver = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator", displayName: "異動 太郎" });
    const s1 = await createSession(dbs.appDb, "staff", leaver.user.id);
    const s2 = await createSession(dbs.appDb, "staff", leaver.user.id);
    const keep = await createSession(dbs.appDb, "staff", admin.user.id);
    const r = await removeStaffMember(dbs.appDb, {
      tenantId: city.id,
      membershipId: leaver.membership.id,
      actor: actor(admin),
    });
    expect(r).toEqual({
      ok: true,
      message: "異動 太郎さんをこの自治体の職員から外し、ログイン中の端末（2件）からログアウトさせました。",
    });
    expect(await roleOf(leaver.membership.id)).toBeNull();
    expect(await validateSessionToken(dbs.appDb, "staff", s1.token)).toBeNull();
    expect(await validateSessionToken(dbs.appDb, "staff", s2.token)).toBeNull();
    expect(await validateSessionToken(dbs.appDb, "staff", keep.token)).not.toBeNull();
    expect(
      (
        await loginStaff(dbs.appDb, {
          tenant: city,
          email: leaver.user.email,
          password: leaver.password,
          ip: "192.0.2.11",
        })
      ).ok,
    ).toBe(false);
    expect(await audits("staff.remove", leaver.user.id)).toEqual([
      expect.objectContaining({ actorId: admin.user.id, detail: { role: "operator", sessionsEnded: 2 } }),
    ]);
    // Again: already gone.
    expect(
      await removeStaffMember(dbs.appDb, {
        tenantId: city.id,
        membershipId: leaver.membership.id,
        actor: actor(admin),
      }),
    ).toEqual({ ok: false, message: MANAGE_MESSAGES.notFound });
  });

  it("refuses removing oneself", async () => {
    expect(
      await removeStaffMember(dbs.appDb, { tenantId: city.id, membershipId: admin.membership.id, actor: actor(admin) }),
    ).toEqual({ ok: false, message: MANAGE_MESSAGES.self });
    expect(await roleOf(admin.membership.id)).toBe("admin");
  });

  it("two admins removing each other at the same moment leave exactly one admin (no deadlock, every time)", async () => {
    for (let round = 0; round < 10; round++) {
      const town = await makeTenant(dbs.appDb, { name: `二人管理町${round}` });
      const a = await makeStaff(dbs.appDb, { tenantId: town.id, role: "admin" });
      const b = await makeStaff(dbs.appDb, { tenantId: town.id, role: "admin" });
      const results = await Promise.all([
        removeStaffMember(dbs.appDb, { tenantId: town.id, membershipId: b.membership.id, actor: actor(a) }),
        round % 2
          ? changeStaffRole(dbs.appDb, {
              tenantId: town.id,
              membershipId: a.membership.id,
              role: "analyst",
              actor: actor(b),
            })
          : removeStaffMember(dbs.appDb, { tenantId: town.id, membershipId: a.membership.id, actor: actor(b) }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, message: MANAGE_MESSAGES.notAdmin }]);
      const left = await dbs.ownerDb.select().from(memberships).where(eq(memberships.tenantId, town.id));
      expect(left.filter((m) => m.role === "admin")).toHaveLength(1);
    }
  });
});

describe("cancelling an invitation", () => {
  it("makes the mailed link unusable, audits it, and says so when it is already gone", async () => {
    const created = await createInvitation(dbs.appDb, key, {
      tenantId: city.id,
      email: "later@city.example",
      role: "operator",
      invitedBy: { kind: "staff", id: admin.user.id },
    });
    if (!created.ok) throw new Error("invitation not created");
    expect((await lookupInvitation(dbs.appDb, city.id, created.token)).state).toBe("valid");
    const r = await revokeStaffInvitation(dbs.appDb, {
      tenantId: city.id,
      invitationId: created.invitationId,
      actor: actor(admin),
    });
    expect(r).toEqual({
      ok: true,
      message: "later@city.example への招待を取り消しました。メールのリンクはもう使えません。",
    });
    expect((await lookupInvitation(dbs.appDb, city.id, created.token)).state).toBe("invalid");
    expect(await audits("staff.invitation.revoke", created.invitationId)).toHaveLength(1);
    expect(
      await revokeStaffInvitation(dbs.appDb, {
        tenantId: city.id,
        invitationId: created.invitationId,
        actor: actor(admin),
      }),
    ).toEqual({ ok: false, message: MANAGE_MESSAGES.invitationGone });
  });
});

describe("the staff page's action", () => {
  it("asks once before removing, removes on the confirmed post, and is for admins only", async () => {
    const op = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
    expect(await post(admin, { intent: "remove", membershipId: op.membership.id })).toEqual({
      ok: true,
      kind: "confirm-remove",
      membershipId: op.membership.id,
    });
    expect(await roleOf(op.membership.id)).toBe("operator"); // nothing changed yet
    expect(await post(admin, { intent: "remove", membershipId: op.membership.id, confirmed: "1" })).toMatchObject({
      ok: true,
      kind: "manage",
    });
    expect(await roleOf(op.membership.id)).toBeNull();

    const analyst = await makeStaff(dbs.appDb, { tenantId: city.id, role: "analyst" });
    const target = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
    await expect(
      post(analyst, { intent: "role", membershipId: target.membership.id, role: "admin" }),
    ).rejects.toMatchObject({ init: { status: 403 } });
    expect(await roleOf(target.membership.id)).toBe("operator");
    expect(await post(admin, { intent: "role", membershipId: target.membership.id, role: "superuser" })).toEqual({
      ok: false,
      kind: "manage",
      message: "権限を選択してください。",
    });
  });
});
