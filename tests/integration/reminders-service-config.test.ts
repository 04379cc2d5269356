import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, services, type Tenant } from "#db/schema/index";
import { closeRedis } from "~/lib/redis.server";
import * as editPage from "~/routes/c.$city.admin.services.$serviceId";
import * as newPage from "~/routes/c.$city.admin.services.new";
import { staffContext, tenantContext } from "~/tenants/context";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/** Reminder rules on the service form: defaults for a new service, saved and audited, wrong rows refused in Japanese. */
const dbs = testDbs();
let city: Tenant;
let admin: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "設定テスト市" });
  admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
});
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

function args(
  method: "GET" | "POST",
  path: string,
  form?: Record<string, string>,
  params: Record<string, string> = {},
) {
  const context = new RouterContextProvider();
  context.set(tenantContext, city);
  context.set(staffContext, { user: admin.user, membership: admin.membership, sessionId: "s" });
  const request = new Request(`http://madoguchi.test/c/${city.slug}/admin/${path}`, {
    method,
    ...(form ? { body: new URLSearchParams(form) } : {}),
  });
  return { request, context, params: { city: city.slug, ...params }, unstable_pattern: "" } as never;
}

describe("reminder rules on the service form", () => {
  it("a new service starts with the day before at 10:00 and 2 hours before, and saves what staff chose", async () => {
    const { defaults } = newPage.loader(args("GET", "services/new"));
    expect(defaults).toMatchObject({
      reminderKind0: "days-before",
      reminderDays0: "1",
      reminderAt0: "10:00",
      reminderKind1: "hours-before",
      reminderHours1: "2",
    });
    const res = await newPage.action(
      args("POST", "services/new", {
        ...defaults,
        name: "特定健診",
        reminderKind2: "days-before",
        reminderDays2: "３",
        reminderAt2: "9:00",
      }),
    );
    expect((res as Response).status).toBe(302);
    const [saved] = await dbs.ownerDb
      .select()
      .from(services)
      .where(and(eq(services.tenantId, city.id), eq(services.name, "特定健診")));
    expect(saved!.reminders).toEqual([
      { kind: "days-before", days: 3, at: "09:00" },
      { kind: "days-before", days: 1, at: "10:00" },
      { kind: "hours-before", hours: 2 },
    ]);

    // The edit page shows them back; turning one off is saved and audited as a change of "reminders".
    const edit = await editPage.loader(args("GET", `services/${saved!.id}`, undefined, { serviceId: saved!.id }));
    expect(edit.values).toMatchObject({
      reminderKind0: "days-before",
      reminderDays0: "3",
      reminderAt0: "09:00",
      reminderKind2: "hours-before",
      reminderHours2: "2",
    });
    const done = await editPage.action(
      args("POST", `services/${saved!.id}`, { ...edit.values, reminderKind0: "" }, { serviceId: saved!.id }),
    );
    expect((done as Response).status).toBe(302);
    const [after] = await dbs.ownerDb.select().from(services).where(eq(services.id, saved!.id));
    expect(after!.reminders).toEqual([
      { kind: "days-before", days: 1, at: "10:00" },
      { kind: "hours-before", hours: 2 },
    ]);
    const [audit] = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "service.update")));
    expect(audit!.detail).toEqual({ changed: ["reminders"] });
  });

  it("wrong rows come back with Japanese messages next to the fields, and nothing is saved", async () => {
    const { defaults } = newPage.loader(args("GET", "services/new"));
    const res = (await newPage.action(
      args("POST", "services/new", {
        ...defaults,
        name: "がん検診",
        reminderHours1: "100",
        reminderKind2: "hours-before",
        reminderHours2: "100",
      }),
    )) as { ok: false; errors: Record<string, string>; values: Record<string, string> };
    expect(res.ok).toBe(false);
    expect(res.errors).toEqual({
      reminderHours1: "何時間前かは1〜72の整数で入力してください。",
      reminderHours2: "何時間前かは1〜72の整数で入力してください。",
    });
    expect(res.values.reminderHours1).toBe("100");
    expect(
      await dbs.ownerDb
        .select()
        .from(services)
        .where(and(eq(services.tenantId, city.id), eq(services.name, "がん検診"))),
    ).toEqual([]);
  });
});
