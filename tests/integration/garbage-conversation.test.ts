import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lineFriends, type Tenant } from "#db/schema/index";
import type { Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { garbageAreaDialog, garbageDialogs, garbageResponder } from "~/features/garbage/conversation.server";
import { addException } from "~/features/garbage/garbage.server";
import { recordFollow } from "~/features/line/friends.server";
import type { ConversationContext, Incoming } from "~/lib/conversation";
import { importGarbageFixture } from "#tests/factories/garbage";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Issue 16 part B: the garbage responder and its area dialog, called as the engine calls them, with
 * a ConversationContext on a real transaction of the app role (RLS on).
 */
const dbs = testDbs();
let city: Tenant;
let bare: Tenant;
// Tue 2026-12-08, 20:00 in Japan.
const NOW = new Date("2026-12-08T11:00:00Z");

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "紀の川テスト市", areas: ["打田", "粉河", "那賀", "桃山", "貴志川"] });
  bare = await makeTenant(dbs.appDb, { name: "未登録市" });
  await importGarbageFixture(dbs.appDb, city, { now: NOW });
});
afterAll(() => dbs.close());

const say = (text: string): Incoming => ({ kind: "text", text, normalised: text.normalize("NFKC").trim() });

function inCity<T>(
  tenant: Tenant,
  over: Partial<ConversationContext>,
  fn: (ctx: ConversationContext, tx: Tx) => Promise<T>,
): Promise<T> {
  return withTenant(dbs.appDb, tenant.id, async (tx) => {
    const ctx: ConversationContext = {
      tx,
      city: {
        tenantId: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        areas: tenant.areas,
        topics: [],
        contact: null,
        liffId: null,
      },
      lineUserId: `U${"a".repeat(32)}`,
      lang: "ja",
      area: null,
      appOrigin: "https://madoguchi.example",
      now: NOW,
      ...over,
    };
    return fn(ctx, tx);
  });
}
const textOf = (m: { type: string; text?: string }) => (m as { text: string }).text;

describe("garbageResponder", () => {
  it("「ごみの日」 answers the next date of each category for the friend's area, with the calendar link", async () => {
    const reply = await inCity(city, { area: "打田" }, (ctx) => garbageResponder.respond(say("ごみの日"), ctx));
    const body = textOf(reply!.messages[0]!);
    expect(body).toContain("打田のごみの日");
    expect(body).toContain("燃やすごみ：12月10日（木）");
    expect(body).toContain("資源（びん・缶・ペットボトル）：きょう 12月8日（火）");
    expect(body).toContain("燃やさないごみ：あした 12月9日（水）");
    expect(body).toContain("https://madoguchi.example/c/" + city.slug + "/garbage/%E6%89%93%E7%94%B0");
    expect(reply!.startDialog).toBeUndefined();
  });

  it("answers in the friend's language (English, やさしい日本語 with readings in parentheses)", async () => {
    const en = await inCity(city, { area: "打田", lang: "en" }, (ctx) => garbageResponder.respond(say("ゴミ"), ctx));
    expect(textOf(en!.messages[0]!)).toContain("Garbage days in 打田");
    expect(textOf(en!.messages[0]!)).toContain("燃やすごみ: Thu 12/10");
    const easy = await inCity(city, { area: "打田", lang: "ja-x-easy" }, (ctx) =>
      garbageResponder.respond(say("ごみの日"), ctx),
    );
    expect(textOf(easy!.messages[0]!)).toContain("打田の ごみの 日（ひ）");
  });

  it("an item answers how to put it out, kana- and width-tolerant, with its next date", async () => {
    for (const q of ["ぺっとぼとる", "ﾍﾟｯﾄﾎﾞﾄﾙ", "ペットボトルの出し方"]) {
      const r = await inCity(city, { area: "打田" }, (ctx) => garbageResponder.respond(say(q), ctx));
      const body = textOf(r!.messages[0]!);
      expect(body, q).toContain("「ペットボトル」は「資源（びん・缶・ペットボトル）」です。");
      expect(body).toContain("出し方：中をすすぎ、キャップとラベルを外す。");
      expect(body).toContain("次の収集日：きょう 12月8日（火）");
    }
    const spray = await inCity(city, {}, (ctx) => garbageResponder.respond(say("スプレー缶"), ctx));
    expect(textOf(spray!.messages[0]!)).toContain("「スプレー缶」は「資源（びん・缶・ペットボトル）」です。");
    const battery = await inCity(city, {}, (ctx) => garbageResponder.respond(say("電池"), ctx));
    expect(textOf(battery!.messages[0]!)).toContain("「電池」は「有害ごみ」です。");
  });

  it("several close items → up to 3 quick replies; unrelated text → null so the router goes on", async () => {
    const r = await inCity(city, {}, (ctx) => garbageResponder.respond(say("ペット"), ctx));
    const m = r!.messages[0] as { quickReply?: { items: { action: { label: string } }[] } };
    expect(m.quickReply!.items.map((i) => i.action.label)).toEqual(["ペットボトル", "ペットボトルのキャップ"]);
    for (const q of ["こんにちは", "予約", "😀😀", "x".repeat(5000)])
      expect(await inCity(city, {}, (ctx) => garbageResponder.respond(say(q), ctx)), q).toBeNull();
    const postback = await inCity(city, {}, (ctx) =>
      garbageResponder.respond({ kind: "postback", data: "ごみの日" }, ctx),
    );
    expect(postback).toBeNull();
  });

  it("a city without data: 「ごみの日」 says so (never a dead end); items are not ours", async () => {
    const r = await inCity(bare, {}, (ctx) => garbageResponder.respond(say("ごみの日"), ctx));
    expect(textOf(r!.messages[0]!)).toContain("未登録市のごみの日の情報はまだ登録されていません。");
    expect(await inCity(bare, {}, (ctx) => garbageResponder.respond(say("電池"), ctx))).toBeNull();
  });

  it("staff exceptions move the answer to the next real date", async () => {
    await addException(
      dbs.appDb,
      city.id,
      { date: "2026-12-10", category: "燃やすごみ", note: "臨時休止" },
      { staffUserId: null },
    );
    const r = await inCity(city, { area: "打田" }, (ctx) => garbageResponder.respond(say("ごみの日"), ctx));
    expect(textOf(r!.messages[0]!)).toContain("燃やすごみ：12月14日（月）");
  });
});

describe("the area dialog", () => {
  it("asks the area once when unknown, keeps it on the friend, then answers", async () => {
    const userId = `U${"b".repeat(32)}`;
    await withTenant(dbs.appDb, city.id, (tx) => recordFollow(tx, city.id, userId, NOW));
    expect(garbageDialogs.map((d) => d.name)).toEqual(["garbage-area"]);
    const first = await inCity(city, { lineUserId: userId }, (ctx) => garbageResponder.respond(say("ごみの日"), ctx));
    expect(first).toEqual({ messages: [], startDialog: { dialog: "garbage-area" } });

    const start = await inCity(city, { lineUserId: userId }, (ctx) => garbageAreaDialog.start(ctx));
    const ask = start.messages[0] as {
      text: string;
      quickReply: { items: { action: { label: string; text: string } }[] };
    };
    expect(ask.text).toContain("お住まいの地区を選んでください");
    expect(ask.quickReply.items.map((i) => i.action.text)).toEqual(["打田", "粉河", "那賀", "桃山", "貴志川"]);

    const again = await inCity(city, { lineUserId: userId }, (ctx) =>
      garbageAreaDialog.step(say("東京"), start.state!, ctx),
    );
    expect(again.state).toEqual({ tries: 1 });
    expect(textOf(again.messages[0]!)).toContain("地区が見つかりませんでした");

    const done = await inCity(city, { lineUserId: userId }, (ctx) =>
      garbageAreaDialog.step(say("粉河"), again.state!, ctx),
    );
    expect(done.state).toBeNull();
    expect(textOf(done.messages[0]!)).toContain("粉河のごみの日");
    const [friend] = await dbs.ownerDb
      .select()
      .from(lineFriends)
      .where(and(eq(lineFriends.tenantId, city.id), eq(lineFriends.lineUserId, userId)));
    expect(friend!.area).toBe("粉河");
    // Known now: the next 「ごみの日」 answers at once.
    const next = await inCity(city, { lineUserId: userId, area: "粉河" }, (ctx) =>
      garbageResponder.respond(say("ごみの日"), ctx),
    );
    expect(next!.startDialog).toBeUndefined();
  });

  it("gives up after three unknown answers with the web page", async () => {
    let st = { tries: 0 };
    let last;
    for (let i = 0; i < 3; i++) {
      last = await inCity(city, {}, (ctx) => garbageAreaDialog.step(say("どこ"), st, ctx));
      if (last.state) st = last.state;
    }
    expect(last!.state).toBeNull();
    expect(textOf(last!.messages[0]!)).toContain(`/c/${city.slug}/garbage`);
  });
});
