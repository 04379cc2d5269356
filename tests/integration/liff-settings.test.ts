import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lineFriends, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordFollow, updateFriend } from "~/features/line/friends.server";
import { lineIdentityCookie } from "~/features/liff/identity.server";
import { parseSettingsForm } from "~/features/liff/settings.server";
import { closeRedis } from "~/lib/redis.server";
import * as settingsPage from "~/routes/c.$city.line.settings";
import { tenantContext } from "~/tenants/context";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * 受信設定 (LIFF): a verified LINE friend views, changes and erases gender, age band, area and
 * topics. The LINE user is always the one from the verified cookie; the form only picks among the
 * city's options. Erase clears the answers and keeps the friend row.
 */
const dbs = testDbs();
let city: Tenant;
let other: Tenant;
const U = `U${"c3".repeat(16)}`;
const STRANGER = `U${"d4".repeat(16)}`;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "受信設定テスト市", areas: ["北地区", "南地区"] });
  other = await makeTenant(dbs.appDb, { name: "受信設定よそ市" });
  await withTenant(dbs.appDb, city.id, async (tx) => {
    await recordFollow(tx, city.id, U, new Date());
    await updateFriend(tx, city.id, U, [
      { field: "gender", value: "female" },
      { field: "ageBand", value: "70plus" },
      { field: "area", value: "北地区" },
    ]);
  });
  // The same LINE user is a friend of another city too; nothing here may touch that row.
  await withTenant(dbs.appDb, other.id, (tx) => recordFollow(tx, other.id, U, new Date()));
});
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

function args(request: Request, tenant = city) {
  const context = new RouterContextProvider();
  context.set(tenantContext, tenant);
  return { request, context, params: { city: tenant.slug }, unstable_pattern: "" } as never;
}
const cookieFor = (userId: string, tenant = city) => lineIdentityCookie(tenant, { lineUserId: userId }).split(";")[0]!;
const view = (cookie: string | null, query = "") =>
  settingsPage.loader(
    args(
      new Request(`http://madoguchi.test/c/${city.slug}/line/settings${query}`, { headers: cookie ? { cookie } : {} }),
    ),
  );
function submit(cookie: string | null, fields: [string, string][]) {
  const body = new URLSearchParams(fields);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (cookie) headers.cookie = cookie;
  return settingsPage.action(
    args(new Request(`http://madoguchi.test/c/${city.slug}/line/settings`, { method: "POST", headers, body })),
  );
}
const friendRow = async (tenant: Tenant, userId = U) =>
  (
    await dbs.ownerDb
      .select()
      .from(lineFriends)
      .where(and(eq(lineFriends.tenantId, tenant.id), eq(lineFriends.lineUserId, userId)))
  )[0]!;

describe("受信設定", () => {
  it("shows the friend's current answers and the city's options; without a verified identity it shows nothing personal", async () => {
    const page = await view(cookieFor(U));
    expect(page.page).toEqual({
      friend: true,
      following: true,
      prefs: { language: null, gender: "female", ageBand: "70plus", area: "北地区", topics: [] },
    });
    expect(page.options.languages.map((l) => l.value)).toEqual(["ja", "en", "ja-x-easy"]);
    expect(page.options.areas.map((a) => a.value)).toEqual(["北地区", "南地区"]);
    expect(page.options.topics.map((t) => t.key)).toEqual(["garbage", "childcare", "events", "disaster"]);
    expect((await view(null)).page).toBeNull();
    // A cookie sealed for another city does not open here.
    expect((await view(cookieFor(U, other))).page).toBeNull();
    expect((await view(cookieFor(STRANGER))).page).toEqual({ friend: false });
  });

  it("changes topics and attributes in one save", async () => {
    const res = (await submit(cookieFor(U), [
      ["intent", "save"],
      ["topics", "garbage"],
      ["topics", "disaster"],
      ["gender", "no_answer"],
      ["ageBand", "60s"],
      ["area", "南地区"],
    ])) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/c/${city.slug}/line/settings?done=saved`);
    expect(await friendRow(city)).toMatchObject({
      gender: "no_answer",
      ageBand: "60s",
      area: "南地区",
      topics: ["garbage", "disaster"],
      status: "following",
      surveyStep: null,
    });
    expect((await view(cookieFor(U), "?done=saved")).notice).toBe("line:settings.saved");
  });

  it("sets the language of the friend's messages, which becomes the page's language too (ADR 039)", async () => {
    const res = (await submit(cookieFor(U), [
      ["intent", "save"],
      ["language", "en"],
      ["topics", "garbage"],
      ["topics", "disaster"],
      ["gender", "no_answer"],
      ["ageBand", "60s"],
      ["area", "南地区"],
    ])) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("set-cookie")).toMatch(/^lang=[^;]+;/);
    expect(await friendRow(city)).toMatchObject({ language: "en", topics: ["garbage", "disaster"] });
    // A language we do not ship is refused, politely, and nothing changes.
    const out = await submit(cookieFor(U), [
      ["intent", "save"],
      ["language", "xx"],
      ["topics", "events"],
    ]);
    expect(out).toMatchObject({ ok: false, errors: { language: "言葉の選択肢から選んでください。" } });
    expect(await friendRow(city)).toMatchObject({ language: "en", topics: ["garbage", "disaster"] });
  });

  it("refuses options the city does not offer, and stores nothing", async () => {
    const out = await submit(cookieFor(U), [
      ["intent", "save"],
      ["topics", "port"],
      ["area", "港"],
      ["gender", "robot"],
    ]);
    expect(out).toMatchObject({
      ok: false,
      errors: { topics: expect.any(String), area: expect.any(String), gender: expect.any(String) },
    });
    expect(await friendRow(city)).toMatchObject({ area: "南地区", topics: ["garbage", "disaster"] });
    const blank = new FormData();
    blank.append("area", "");
    blank.append("gender", "");
    expect(parseSettingsForm(blank, city)).toEqual({
      ok: true,
      prefs: { gender: null, ageBand: null, area: null, topics: [] },
    });
  });

  it("refuses to save without a verified identity or for a LINE user who is not a friend", async () => {
    expect(
      await submit(null, [
        ["intent", "save"],
        ["topics", "events"],
      ]),
    ).toMatchObject({ ok: false, errors: { _form: expect.stringContaining("本人確認") } });
    expect(
      await submit(cookieFor(STRANGER), [
        ["intent", "save"],
        ["topics", "events"],
      ]),
    ).toMatchObject({ ok: false, errors: { _form: expect.stringContaining("友だち") } });
    expect(
      await dbs.ownerDb
        .select()
        .from(lineFriends)
        .where(and(eq(lineFriends.tenantId, city.id), eq(lineFriends.lineUserId, STRANGER))),
    ).toHaveLength(0);
  });

  it("erase clears gender, age band, area and topics but keeps the friend row (and the other city's row)", async () => {
    const before = await friendRow(city);
    expect((await view(cookieFor(U), "?confirm=erase")).confirmErase).toBe(true);
    const res = (await submit(cookieFor(U), [["intent", "erase"]])) as Response;
    expect(res.headers.get("location")).toBe(`/c/${city.slug}/line/settings?done=erased`);
    const after = await friendRow(city);
    expect(after).toMatchObject({
      id: before.id,
      status: "following",
      gender: null,
      ageBand: null,
      area: null,
      topics: [],
      surveyStep: null,
    });
    expect(after.followedAt).toEqual(before.followedAt);
    expect(await friendRow(other)).toMatchObject({ status: "following" });
  });
});
