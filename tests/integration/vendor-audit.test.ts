import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, describe, expect, it } from "vitest";
import { vendorAuditLog } from "#db/schema/index";
import { createSession } from "~/auth/session.server";
import { closeRedis } from "~/lib/redis.server";
import { vendorContext } from "~/tenants/context";
import { action as accountAction } from "~/routes/vendor.account";
import { action as cityAction } from "~/routes/vendor.cities.$tenantId";
import { makeVendor } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

// Vendor actions land in the platform's audit log, including the ones that also go to a city's log.
const dbs = testDbs();
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

const form = (fields: Record<string, string>, cookie = "") =>
  new Request("http://madoguchi.test/vendor/x", {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });

describe("vendor audit", () => {
  it("records inviting a city's first admin and logging out everywhere", async () => {
    const v = await makeVendor(dbs.appDb);
    const city = await makeTenant(dbs.appDb);
    const context = new RouterContextProvider();
    context.set(vendorContext, { user: v.user, sessionId: "s" });
    const invited = await cityAction({
      request: form({ intent: "invite-admin", email: `first-${Date.now()}@city.example` }),
      context,
      params: { tenantId: city.id },
    } as never);
    expect(invited).toMatchObject({ ok: true });
    const { token } = await createSession(dbs.appDb, "vendor", v.user.id);
    const out = (await accountAction({
      request: form({}, `mdg_vendor=${token}`),
      context,
      params: {},
    } as never)) as Response;
    expect(out.status).toBe(302);
    const rows = await dbs.ownerDb.select().from(vendorAuditLog).where(eq(vendorAuditLog.vendorUserId, v.user.id));
    expect(rows.map((r) => r.action).sort()).toEqual(["staff.invite", "vendor.logout_everywhere"]);
    const [invite] = await dbs.ownerDb
      .select()
      .from(vendorAuditLog)
      .where(and(eq(vendorAuditLog.vendorUserId, v.user.id), eq(vendorAuditLog.action, "staff.invite")));
    expect(invite!.tenantId).toBe(city.id);
  });
});
