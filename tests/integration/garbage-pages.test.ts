import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, garbageExceptions, type Tenant } from "#db/schema/index";
import { garbageAreaPage, garbageAreas, garbageIcs } from "~/features/garbage/pages.server";
import * as adminPage from "~/routes/c.$city.admin.garbage";
import * as importPage from "~/routes/c.$city.admin.garbage.import";
import { staffContext, tenantContext } from "~/tenants/context";
import { importGarbageFixture } from "#tests/factories/garbage";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/** Issue 16 part B: the resident pages' data, and the staff page's actions with bad input (polite, nothing written). */
const dbs = testDbs();
let city: Tenant;
let empty: Tenant;
const NOW = new Date("2026-12-08T03:00:00Z");

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { areas: ["打田", "粉河", "那賀", "桃山", "貴志川"] });
  empty = await makeTenant(dbs.appDb, {});
  await importGarbageFixture(dbs.appDb, city, { now: NOW });
});
afterAll(() => dbs.close());

describe("resident pages", () => {
  it("lists areas in the city's order; none for a city without data", async () => {
    expect(await garbageAreas(dbs.appDb, city)).toEqual(["打田", "粉河", "那賀", "桃山", "貴志川"]);
    expect(await garbageAreas(dbs.appDb, empty)).toBeNull();
  });

  it("one area's month, next dates and search; unknown area → null (404); junk month → this month", async () => {
    const page = await garbageAreaPage(dbs.appDb, city, { area: "打田", month: "2026-12", q: "ﾍﾟｯﾄﾎﾞﾄﾙ" }, NOW);
    expect(page!.days).toHaveLength(31);
    // Thu 12/31 falls in the east center's year-end closure.
    expect(page!.days[30]).toMatchObject({ categories: [], cancelled: [{ category: "燃やすごみ", why: "center" }] });
    expect(page!.results!.map((r) => r.name)).toEqual(["ペットボトル"]);
    expect(page!.results![0]!.next).toBe("2026-12-08");
    for (const month of ["2026-13", "abc", "1999-01", "x".repeat(5000)])
      expect((await garbageAreaPage(dbs.appDb, city, { area: "打田", month }, NOW))!.month, month).toBe("2026-12");
    expect(await garbageAreaPage(dbs.appDb, city, { area: "存在しない" }, NOW)).toBeNull();
    expect(await garbageAreaPage(dbs.appDb, empty, { area: "北地区" }, NOW)).toBeNull();
    const long = await garbageAreaPage(dbs.appDb, city, { area: "打田", q: "あ".repeat(5000) }, NOW);
    expect(long!.query).toHaveLength(40);
  });

  it("the .ics feed has one all-day event per collection day with stable UIDs", async () => {
    const ics = (await garbageIcs(dbs.appDb, city, "打田", NOW, "https://x.example/p"))!;
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("DTSTART;VALUE=DATE:20261210");
    expect(ics).not.toContain("DTSTART;VALUE=DATE:20261231");
    const stamp = (t: string) => t.replace(/DTSTAMP:.*\r\n/g, "");
    expect(stamp((await garbageIcs(dbs.appDb, city, "打田", NOW, "https://x.example/p"))!)).toBe(stamp(ics));
    expect(await garbageIcs(dbs.appDb, city, "なし", NOW, "")).toBeNull();
  });
});

describe("the staff page", () => {
  function ctx(staff: Awaited<ReturnType<typeof makeStaff>>) {
    const c = new RouterContextProvider();
    c.set(tenantContext, city);
    c.set(staffContext, { user: staff.user, membership: staff.membership, sessionId: "s" });
    return c;
  }
  const post = (body: Record<string, string>) =>
    new Request(`http://madoguchi.test/c/${city.slug}/admin/garbage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
    });
  const act = (staff: Awaited<ReturnType<typeof makeStaff>>, body: Record<string, string>) =>
    adminPage.action({
      request: post(body),
      context: ctx(staff),
      params: { city: city.slug },
      unstable_pattern: "",
    } as never);

  it("bad input answers politely and writes nothing; good input is audited", async () => {
    const admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
    for (const body of [
      {},
      { intent: "nope" },
      { intent: "push-time", pushTime: "25:00" },
      { intent: "exception-add", date: "2026-02-30", category: "", note: "" },
      { intent: "exception-add", date: "2027-01-05", category: "存在しない種類", note: "" },
      { intent: "exception-add", date: "2027-01-05", category: "", note: "x".repeat(201) },
      { intent: "exception-remove", id: "not-a-uuid" },
      { intent: "holidays", category: "存在しない種類", skip: "on" },
    ]) {
      const r = (await act(admin, body as Record<string, string>)) as { ok: boolean; errors: Record<string, string> };
      expect(r.ok, JSON.stringify(body)).toBe(false);
      expect(Object.values(r.errors).join(""), JSON.stringify(body)).toMatch(/[ぁ-んァ-ン一-龥]/);
    }
    expect(await dbs.ownerDb.select().from(garbageExceptions).where(eq(garbageExceptions.tenantId, city.id))).toEqual(
      [],
    );

    expect(
      await act(admin, { intent: "exception-add", date: "2027-01-05", category: "燃やすごみ", note: "臨時" }),
    ).toMatchObject({ ok: true });
    expect(
      await act(admin, { intent: "exception-add", date: "2027-01-05", category: "燃やすごみ", note: "" }),
    ).toMatchObject({ ok: false });
    expect(await act(admin, { intent: "holidays", category: "燃やさないごみ", skip: "on" })).toMatchObject({
      ok: true,
    });
    expect(await act(admin, { intent: "push-time", pushTime: "19:30" })).toMatchObject({ ok: true });
    const actions = (
      await dbs.ownerDb
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.actorId, admin.user.id)))
    ).map((a) => a.action);
    expect(actions.sort()).toEqual(["garbage.exception.add", "garbage.holidays", "garbage.push-time"]);
  });

  it("an analyst reads but cannot change anything or import", async () => {
    const analyst = await makeStaff(dbs.appDb, { tenantId: city.id, role: "analyst" });
    const view = await adminPage.loader({
      request: new Request("http://x/"),
      context: ctx(analyst),
      params: { city: city.slug },
    } as never);
    expect(view.canEdit).toBe(false);
    await expect(act(analyst, { intent: "push-time", pushTime: "" })).rejects.toMatchObject({ init: { status: 403 } });
    await expect(
      importPage.action({
        request: post({ intent: "save" }),
        context: ctx(analyst),
        params: { city: city.slug },
      } as never),
    ).rejects.toMatchObject({ init: { status: 403 } });
  });

  it("the import page refuses non-5374 file names and a stale save politely", async () => {
    const admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
    const form = new FormData();
    form.append("intent", "preview");
    form.append("files", new File(["a,b\n"], "evil.exe"));
    const r = (await importPage.action({
      request: new Request(`http://madoguchi.test/c/${city.slug}/admin/garbage/import`, { method: "POST", body: form }),
      context: ctx(admin),
      params: { city: city.slug },
    } as never)) as { step: string; error: string };
    expect(r).toMatchObject({ step: "error", error: expect.stringContaining("evil.exe") });
    const stale = (await importPage.action({
      request: post({ intent: "save", pendingAt: "2020-01-01T00:00:00.000Z" }),
      context: ctx(admin),
      params: { city: city.slug },
    } as never)) as { step: string; error: string };
    expect(stale).toMatchObject({ step: "error", error: expect.stringContaining("プレビュー") });
  });
});
