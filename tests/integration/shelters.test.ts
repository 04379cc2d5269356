import iconv from "iconv-lite";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, shelters, type Tenant } from "#db/schema/index";
import type { Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { answerLocation, shelterResponder } from "~/features/shelters/conversation.server";
import { importShelters } from "~/features/shelters/import.server";
import {
  getShelter,
  listShelters,
  nearestOpen,
  setMunicipalityCode,
  setShelterStatus,
} from "~/features/shelters/shelters.server";
import type { ConversationContext, Incoming } from "~/lib/conversation";
import { importShelterFixture, shelterFixtureBytes } from "#tests/factories/shelters";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/** Issue 18 steps 1–3: the GSI import, live status and the nearest open shelters in LINE. */
const dbs = testDbs();
let city: Tenant;
const NOW = new Date("2026-12-08T11:00:00Z");
const CITY_HALL = { latitude: 34.2689, longitude: 135.3626 };
const KOKAWA = { latitude: 34.2797, longitude: 135.4063 };
const actor = { staffUserId: null };

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, {
    name: "紀ノ川テスト市",
    areas: ["打田", "粉河", "那賀", "桃山", "貴志川"],
    contact: {
      phones: [{ label: "代表", number: "0736-00-1111", hours: "平日" }],
      webUrl: null,
      disasterUrl: "https://www.kinokawa-test.example/bousai/",
      disasterPhone: "0736-00-1199",
    },
  });
  await importShelterFixture(dbs.appDb, city.id, { now: NOW });
});
afterAll(() => dbs.close());

const byName = async (name: string) =>
  withTenant(dbs.appDb, city.id, async (tx) => (await listShelters(tx, city.id)).find((s) => s.name === name)!);

function inCity<T>(over: Partial<ConversationContext>, fn: (ctx: ConversationContext, tx: Tx) => Promise<T>) {
  return withTenant(dbs.appDb, city.id, async (tx) =>
    fn(
      {
        tx,
        city: {
          tenantId: city.id,
          slug: city.slug,
          name: city.name,
          areas: city.areas,
          topics: [],
          contact: city.contact,
          liffId: null,
        },
        lineUserId: `U${"b".repeat(32)}`,
        lang: "ja",
        area: null,
        appOrigin: "https://madoguchi.example",
        now: NOW,
        ...over,
      },
      tx,
    ),
  );
}
const json = (x: unknown) => JSON.stringify(x);

describe("GSI import", () => {
  it("imports the city's rows, leaves another municipality's out, and keeps the city's own fields on re-import", async () => {
    const all = await withTenant(dbs.appDb, city.id, (tx) => listShelters(tx, city.id));
    expect(all).toHaveLength(15);
    expect(all.some((s) => s.name.includes("岩出"))).toBe(false);
    const school = all.find((s) => s.gsiId === "30208-0001")!;
    expect(school.hazards).toEqual(["flood", "landslide", "earthquake", "tsunami", "fire", "inland_flood"]);
    expect(school.designatedShelter).toBe(true);
    expect(school.capacity).toBe(400);
    expect(school.area).toBe("打田");

    await setShelterStatus(dbs.appDb, city.id, school.id, "open", actor, NOW);
    await withTenant(dbs.appDb, city.id, (tx) =>
      tx.update(shelters).set({ note: "体育館入口は東側", area: "粉河" }).where(eq(shelters.id, school.id)),
    );
    const again = await importShelters(dbs.appDb, city.id, shelterFixtureBytes(), actor, NOW);
    expect(again).toMatchObject({ ok: true, imported: 15, inserted: 0, otherMunicipality: 2 });
    const kept = await byName("打田中学校 体育館");
    expect(kept).toMatchObject({ status: "open", note: "体育館入口は東側", area: "粉河" });
    await withTenant(dbs.appDb, city.id, (tx) =>
      tx.update(shelters).set({ area: "打田", status: "unopened" }).where(eq(shelters.id, school.id)),
    );
  });

  it("reads Shift_JIS as well as UTF-8", async () => {
    const sjis = iconv.encode(new TextDecoder().decode(shelterFixtureBytes()), "cp932");
    expect(await importShelters(dbs.appDb, city.id, sjis, actor, NOW)).toMatchObject({
      ok: true,
      encoding: "shift_jis",
    });
  });

  it("refuses another municipality's file and reports broken lines without writing anything", async () => {
    const other = await makeTenant(dbs.appDb, { name: "別市" });
    await setMunicipalityCode(dbs.appDb, other.id, "13101", actor);
    const refused = await importShelters(dbs.appDb, other.id, shelterFixtureBytes(), actor, NOW);
    expect(refused.ok).toBe(false);
    expect(json(refused)).toContain("この市区町村（13101）の行がありません");

    const broken = new TextEncoder().encode(
      [
        "共通ID,施設・場所名,住所,洪水,津波,緯度,経度",
        "13101-0001,千代田テスト公園,東京都,1,,35.68,139.75",
        "13101-0002,壊れた座標,東京都,1,,139.75,35.68",
        "13101-0003,旗の誤り,東京都,はい?,,35.68,139.75",
      ].join("\n"),
    );
    const out = await importShelters(dbs.appDb, other.id, broken, actor, NOW);
    expect(out).toEqual({
      ok: false,
      problems: [
        { line: 3, message: "緯度・経度が正しくありません（139.75, 35.68）。" },
        { line: 4, message: "「洪水」の値は 1 か空にしてください。" },
      ],
    });
    expect(await withTenant(dbs.appDb, other.id, (tx) => listShelters(tx, other.id))).toHaveLength(0);
  });
});

describe("live status and nearest open shelters", () => {
  it("last write wins and both changes are audited", async () => {
    const s = await byName("紀ノ川デモ市役所 本庁舎");
    await setShelterStatus(dbs.appDb, city.id, s.id, "open", { staffUserId: null }, NOW);
    await setShelterStatus(dbs.appDb, city.id, s.id, "crowded", { staffUserId: null }, new Date(NOW.getTime() + 1000));
    expect((await byName("紀ノ川デモ市役所 本庁舎")).status).toBe("crowded");
    const audits = await withTenant(dbs.appDb, city.id, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.targetId, s.id))),
    );
    expect(audits.map((a) => a.detail)).toEqual([
      { from: "unopened", to: "open" },
      { from: "open", to: "crowded" },
    ]);
  });

  it("nearest open: open/crowded by distance, 満 last, 未開設 never, filtered by hazard", async () => {
    for (const [name, status] of [
      ["打田中学校 体育館", "full"],
      ["打田総合運動公園", "open"],
      ["打田高台防災広場", "open"],
      ["粉河小学校", "open"],
    ] as const)
      await setShelterStatus(dbs.appDb, city.id, (await byName(name)).id, status, actor, NOW);
    const names = (rows: { name: string }[]) => rows.map((r) => r.name);
    const any = await withTenant(dbs.appDb, city.id, (tx) => nearestOpen(tx, city.id, CITY_HALL, null, 10));
    expect(names(any)).toEqual([
      "紀ノ川デモ市役所 本庁舎",
      "打田総合運動公園",
      "打田高台防災広場",
      "粉河小学校",
      "打田中学校 体育館",
    ]);
    expect(any[0]!.meters).toBeLessThan(1);
    // 打田総合運動公園 is not designated for 津波: it drops out.
    const tsunami = await withTenant(dbs.appDb, city.id, (tx) => nearestOpen(tx, city.id, CITY_HALL, "tsunami", 3));
    expect(names(tsunami)).toEqual(["紀ノ川デモ市役所 本庁舎", "打田高台防災広場", "粉河小学校"]);
  });

  it("a location answers with a Flex carousel of the nearest 3 (distance, walking minutes, status, map link)", async () => {
    const messages = await inCity({}, (ctx) => answerLocation(ctx, KOKAWA));
    expect(messages).toHaveLength(2);
    const flex = messages[1] as { type: string; altText: string; contents: { contents: unknown[] } };
    expect(flex.type).toBe("flex");
    expect(flex.altText).toBe("近くの開いている避難所（3件）");
    const first = json(flex.contents.contents[0]);
    expect(first).toContain("粉河小学校");
    expect(first).toContain("開設");
    expect(first).toMatch(/約\d+ m・徒歩\d+分/);
    expect(first).toContain("https://www.google.com/maps/search/?api=1&query=34.281100,135.403100");
    expect(first).toContain("出典：国土地理院");
    expect(json(flex)).not.toContain("打田中学校"); // 満: only when fewer than 3 open ones are left
  });

  it("far outside the city: the nearest in the city with its distance and the national map", async () => {
    const [msg] = await inCity({}, (ctx) => answerLocation(ctx, { latitude: 35.6812, longitude: 139.7671 }));
    const text = (msg as { text: string }).text;
    expect(text).toMatch(/いちばん近い避難所は「.+」（約\d+ km）/);
    expect(text).toContain("https://hinanmap.gsi.go.jp/");
  });

  it("the 避難所 keyword asks for a location or an area; an area postback answers that area's open shelters", async () => {
    const say: Incoming = { kind: "text", text: "避難所", normalised: "避難所" };
    const ask = await inCity({}, (ctx) => shelterResponder.respond(say, ctx));
    const items = json(ask!.messages[0]);
    expect(items).toContain('"type":"location"');
    expect(items).toContain("shelters:area:粉河");
    const area = await inCity({}, (ctx) =>
      shelterResponder.respond({ kind: "postback", data: "shelters:area:粉河" }, ctx),
    );
    expect(json(area!.messages[0])).toContain("粉河小学校");
    const none = await inCity({}, (ctx) =>
      shelterResponder.respond({ kind: "postback", data: "shelters:area:貴志川" }, ctx),
    );
    const text = (none!.messages[0] as { text: string }).text;
    expect(text).toContain("貴志川には、いま開いている避難所がありません。");
    expect(text).toContain("https://www.kinokawa-test.example/bousai/");
    expect(text).toContain("0736-00-1199");
  });
});

describe("bad input", () => {
  it("an id that is not a uuid is simply not found (no database error)", async () => {
    expect(await setShelterStatus(dbs.appDb, city.id, "../../etc", "open", actor)).toBeNull();
    expect(await withTenant(dbs.appDb, city.id, (tx) => getShelter(tx, city.id, "x'; drop"))).toBeNull();
  });

  it("a safety postback for an unknown check answers politely", async () => {
    const reply = await inCity({}, (ctx) =>
      shelterResponder.respond({ kind: "postback", data: "safety:00000000-0000-4000-8000-000000000000:safe" }, ctx),
    );
    expect((reply!.messages[0] as { text: string }).text).toBe("この安否確認は終わっています。");
  });
});
