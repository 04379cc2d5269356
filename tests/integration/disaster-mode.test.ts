import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { auditLog, shelters, vendorAuditLog, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { publishRichMenu, type RichMenuDeps } from "~/features/line-richmenu/publish.server";
import { answerLocation } from "~/features/shelters/conversation.server";
import { disasterHazard, setDisasterMode, setDisasterModeForCities } from "~/features/shelters/disaster-mode.server";
import { safetyResponder } from "~/features/shelters/safety-answer.server";
import { safetySummary, startSafetyCheck } from "~/features/shelters/safety.server";
import type { ConversationContext } from "~/lib/conversation";
import { addFriend, seedFriends } from "#tests/factories/broadcasts";
import { emulatorControl, fakeChannel, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { importShelterFixture } from "#tests/factories/shelters";
import { makeStaff, makeVendor } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Issue 18.4–18.6 against the LINE emulator and the real database: disaster mode on/off (menu,
 * hazard filter, audit), the vendor's many-cities switch, and a safety check answered and counted.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
let emu: LineEmulator;
type City = { tenant: Tenant; channel: PlainChannel; actor: { staffUserId: string } };
let a: City;
let b: City;
let c: City;
const AREAS = ["打田", "粉河", "那賀", "桃山", "貴志川"];

const deps = (): RichMenuDeps => ({
  db: dbs.appDb,
  key,
  appOrigin: "https://madoguchi.example.jp",
  config: { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { baseDelayMs: 5, maxDelayMs: 20 } },
});

async function makeCity(label: string): Promise<City> {
  const tenant = await makeTenant(dbs.appDb, { areas: AREAS });
  const channel = fakeChannel(`disaster-${label}-${Date.now()}`);
  await makeLineChannel(dbs.appDb, key, tenant.id, { ...channel, liffId: "" });
  await emulatorControl(emu.url).registerChannel(channel);
  const admin = await makeStaff(dbs.appDb, { tenantId: tenant.id, role: "admin" });
  const city = { tenant, channel, actor: { staffUserId: admin.user.id } };
  expect(await publishRichMenu(deps(), { tenant, kind: "default", actor: city.actor })).toMatchObject({ ok: true });
  return city;
}

async function defaultMenuName(city: City) {
  const get = async (path: string) =>
    (
      await fetch(`${emu.url}${path}`, { headers: { authorization: `Bearer ${city.channel.channelAccessToken}` } })
    ).json();
  const { richMenuId } = (await get("/v2/bot/user/all/richmenu")) as { richMenuId: string };
  return ((await get(`/v2/bot/richmenu/${richMenuId}`)) as { name: string }).name;
}

function ctxOf(
  city: City,
  tx: ConversationContext["tx"],
  over: Partial<ConversationContext> = {},
): ConversationContext {
  return {
    tx,
    city: {
      tenantId: city.tenant.id,
      slug: city.tenant.slug,
      name: city.tenant.name,
      areas: AREAS,
      topics: [],
      contact: null,
      liffId: null,
    },
    lineUserId: `U${"c".repeat(32)}`,
    lang: "ja",
    area: null,
    appOrigin: "https://madoguchi.example.jp",
    now: new Date(),
    ...over,
  };
}

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  [a, b, c] = [await makeCity("a"), await makeCity("b"), await makeCity("c")];
  await importShelterFixture(dbs.appDb, a.tenant.id);
  await withTenant(dbs.appDb, a.tenant.id, (tx) =>
    tx.update(shelters).set({ status: "open" }).where(eq(shelters.tenantId, a.tenant.id)),
  );
});
afterAll(async () => {
  await emu.close();
  await dbs.close();
});

describe("disaster mode", () => {
  it("on: the disaster menu for every friend and shelters filtered by the hazard; off restores; audited", async () => {
    const menuBefore = await defaultMenuName(a);
    const near = { latitude: 34.2755, longitude: 135.3521 }; // at 打田総合運動公園 (not safe for 津波)
    const names = async () =>
      withTenant(dbs.appDb, a.tenant.id, async (tx) => JSON.stringify(await answerLocation(ctxOf(a, tx), near)));
    expect(await names()).toContain("打田総合運動公園");

    const on = await setDisasterMode(deps(), a.tenant, "tsunami", a.actor);
    expect(on.menu.ok).toBe(true);
    expect(await disasterHazard(dbs.appDb, a.tenant.id)).toBe("tsunami");
    expect(await defaultMenuName(a)).not.toBe(menuBefore);
    const during = await names();
    expect(during).not.toContain("打田総合運動公園");
    expect(during).toContain("災害（津波）に対応した");

    const off = await setDisasterMode(deps(), a.tenant, null, a.actor);
    expect(off.menu.ok).toBe(true);
    expect(await disasterHazard(dbs.appDb, a.tenant.id)).toBeNull();
    expect(await defaultMenuName(a)).toBe(menuBefore);
    expect(await names()).toContain("打田総合運動公園");

    const trail = await dbs.ownerDb
      .select({ action: auditLog.action, detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, a.tenant.id), eq(auditLog.actorId, a.actor.staffUserId)));
    expect(trail.filter((t) => t.action.startsWith("disaster."))).toEqual([
      { action: "disaster.on", detail: { hazard: "tsunami", before: null } },
      { action: "disaster.off", detail: { hazard: null, before: "tsunami" } },
    ]);
  });

  it("the vendor switches 2 of 3 cities in one action; the third is untouched; each city's own switch still works", async () => {
    const vendor = await makeVendor(dbs.appDb);
    const cMenu = await defaultMenuName(c);
    const results = await setDisasterModeForCities(deps(), [a.tenant.id, b.tenant.id], "flood", {
      vendorUserId: vendor.user.id,
    });
    expect(results.map((r) => r.menu.ok)).toEqual([true, true]);
    expect(await disasterHazard(dbs.appDb, a.tenant.id)).toBe("flood");
    expect(await disasterHazard(dbs.appDb, b.tenant.id)).toBe("flood");
    expect(await disasterHazard(dbs.appDb, c.tenant.id)).toBeNull();
    expect(await defaultMenuName(c)).toBe(cMenu);
    const [entry] = await dbs.ownerDb
      .select()
      .from(vendorAuditLog)
      .where(eq(vendorAuditLog.vendorUserId, vendor.user.id));
    expect(entry).toMatchObject({ action: "disaster.on.cities" });
    await setDisasterMode(deps(), b.tenant, null, b.actor);
    expect(await disasterHazard(dbs.appDb, b.tenant.id)).toBeNull();
    expect(await disasterHazard(dbs.appDb, a.tenant.id)).toBe("flood");
  });
});

describe("safety check-in", () => {
  it("asks the chosen areas with three quick replies, counts answers by area (below 10 hidden), lists 支援が必要 by area", async () => {
    await seedFriends(dbs.appDb, a.tenant.id, {
      count: 60,
      seed: "safety",
      areas: ["打田", "粉河", "那賀"],
      topics: [],
    });
    const named = `U${"d".repeat(32)}`;
    await addFriend(dbs.appDb, a.tenant.id, { lineUserId: named, area: "粉河", language: "en" });
    const out = await startSafetyCheck(
      { db: dbs.appDb, key, config: deps().config },
      { id: a.tenant.id, name: "テスト市", areas: AREAS },
      ["打田", "粉河"],
      a.actor,
    );
    expect(out).toMatchObject({ ok: true, recipients: 41 });
    if (!out.ok) return;
    const sent = await emulatorControl(emu.url).sent(a.channel.channelId, named);
    const question = sent.at(-1)!.messages[0]!;
    expect(question.text).toContain("are you safe?");
    expect(question.quickReply!.items.map((i) => i.action.data)).toEqual([
      `safety:${out.checkId}:safe`,
      `safety:${out.checkId}:help`,
      `safety:${out.checkId}:skip`,
    ]);

    // 12 in 打田 answer 無事 (one of them twice), 1 in 粉河 asks for help.
    const uchita = await withTenant(dbs.appDb, a.tenant.id, (tx) =>
      tx.execute<{ line_user_id: string }>(
        `select line_user_id from line_friends where tenant_id = '${a.tenant.id}' and area = '打田' order by line_user_id limit 12` as never,
      ),
    );
    const answer = (userId: string, area: string, data: string) =>
      withTenant(dbs.appDb, a.tenant.id, (tx) =>
        safetyResponder.respond({ kind: "postback", data }, ctxOf(a, tx, { lineUserId: userId, area })),
      );
    for (const r of uchita as unknown as { line_user_id: string }[])
      await answer(r.line_user_id, "打田", `safety:${out.checkId}:safe`);
    await answer(
      (uchita as unknown as { line_user_id: string }[])[0]!.line_user_id,
      "打田",
      `safety:${out.checkId}:safe`,
    );
    const reply = await answer(named, "粉河", `safety:${out.checkId}:help`);
    expect(JSON.stringify(reply)).toContain("市の担当者が確認します");

    const summary = (await safetySummary(dbs.appDb, a.tenant.id, out.checkId))!;
    expect(summary.areas).toEqual([
      { area: "打田", safe: "12人", help: "10人未満", skip: "10人未満", unanswered: "10人未満" },
      { area: "粉河", safe: "10人未満", help: "10人未満", skip: "10人未満", unanswered: "20人" },
    ]);
    expect(summary.help).toHaveLength(1);
    expect(summary.help[0]).toMatchObject({ area: "粉河" });
    expect(Object.keys(summary.help[0]!)).toEqual(["area", "answeredAt"]);
  });
});
