import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { lineFriends, lineWebhookEvents, outbox, type Tenant } from "#db/schema/index";
import { processLineEvent } from "#jobs/processors/line/process-line-event";
import { relayAndProcess } from "#tests/setup/jobs";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { closeRedis } from "~/lib/redis.server";
import { emulatorControl, makeLineChannel, startWebhookReceiver, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The whole inbound path against the LINE emulator: a resident acts in "LINE" → signed webhook →
 * stored event + outbox → relay → BullMQ "line" queue → processor → reply recorded by the emulator.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 5);
let emu: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let ctl: ReturnType<typeof emulatorControl>;
let city: Tenant;
let channel: PlainChannel;
let line: LineApiConfig;

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  receiver = await startWebhookReceiver(dbs.appDb, key);
  city = await makeTenant(dbs.appDb, { name: "LINE処理テスト市", areas: ["北地区", "南地区", "東地区"] });
  channel = await makeLineChannel(dbs.appDb, key, city.id);
  await ctl.registerChannel({ ...channel, webhookUrl: receiver.url(city.id) });
  line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } };
});
afterAll(async () => {
  await receiver.close();
  await emu.close();
  await closeRedis();
  await dbs.close();
});

// smtpPort is never dialled: no mail job belongs to these tests.
const processAll = () => relayAndProcess(dbs.appDb, { smtpPort: 9, key, tenantId: city.id, line });
const friend = async (userId: string) =>
  (
    await dbs.ownerDb
      .select()
      .from(lineFriends)
      .where(and(eq(lineFriends.tenantId, city.id), eq(lineFriends.lineUserId, userId)))
  )[0];
const lastReply = async (userId: string) =>
  (await ctl.sent(channel.channelId, userId)).filter((m) => m.kind === "reply").at(-1);

async function act(userId: string, events: object[]) {
  const r = await ctl.events(channel.channelId, userId, events);
  expect(r.status).toBe(200);
  await processAll();
  return r;
}
const tap = (userId: string, data: string) => act(userId, [{ type: "postback", postback: { data } }]);

describe("processing LINE events", () => {
  it("follow: the friend is recorded and greeted with the first survey question", async () => {
    const userId = await ctl.newUser();
    await act(userId, [{ type: "follow" }]);
    // The emulator's users have LINE set to Japanese unless told otherwise.
    expect(await friend(userId)).toMatchObject({
      status: "following",
      surveyStep: "language",
      language: "ja",
      blockedAt: null,
    });
    expect((await friend(userId))!.followedAt).toBeInstanceOf(Date);
    const reply = await lastReply(userId);
    expect(reply!.messages[0]!.text).toContain("LINE処理テスト市");
    // The first question is the language, each button in its own language.
    expect(reply!.messages[1]!.quickReply!.items.map((i) => i.action.label)).toEqual([
      "日本語",
      "English",
      "やさしい にほんご",
    ]);
    await tap(userId, "survey=language&v=ja");
    expect((await lastReply(userId))!.messages[0]!.quickReply!.items.map((i) => i.action.label)).toEqual([
      "女性",
      "男性",
      "その他",
      "回答しない",
    ]);
    const [event] = await dbs.ownerDb
      .select()
      .from(lineWebhookEvents)
      .where(and(eq(lineWebhookEvents.tenantId, city.id), eq(lineWebhookEvents.lineUserId, userId)));
    expect(event!.processedAt).toBeInstanceOf(Date);
  });

  it("the full survey by postbacks stores gender, age band, area and topics (a second tap removes a topic)", async () => {
    const userId = await ctl.newUser();
    await act(userId, [{ type: "follow" }]);
    await tap(userId, "survey=gender&v=female");
    expect((await lastReply(userId))!.messages[0]!.quickReply!.items.map((i) => i.action.label)).toContain("30代");
    await tap(userId, "survey=age&v=30s");
    expect((await lastReply(userId))!.messages[0]!.quickReply!.items.map((i) => i.action.label)).toEqual([
      "北地区",
      "南地区",
      "東地区",
      "回答しない",
    ]);
    await tap(userId, `survey=area&v=${encodeURIComponent("南地区")}`);
    await tap(userId, "survey=topic&v=garbage");
    await tap(userId, "survey=topic&v=disaster");
    await tap(userId, "survey=topic&v=events");
    await tap(userId, "survey=topic&v=events");
    const topicsReply = await lastReply(userId);
    expect(topicsReply!.messages[0]!.text).toContain("現在の選択：ごみ、防災");
    expect(topicsReply!.messages[0]!.quickReply!.items.map((i) => i.action.label)).toEqual([
      "✓ごみ",
      "子育て",
      "イベント",
      "✓防災",
      "完了",
    ]);
    await tap(userId, "survey=done");
    expect((await lastReply(userId))!.messages[0]!.text).toContain("「ごみ」「防災」");
    expect(await friend(userId)).toMatchObject({
      gender: "female",
      ageBand: "30s",
      area: "南地区",
      topics: ["garbage", "disaster"],
      surveyStep: null,
    });
  });

  it("answers outside the city's lists are not stored: the question is asked again", async () => {
    const userId = await ctl.newUser();
    await act(userId, [{ type: "follow" }]);
    await tap(userId, "survey=area&v=大阪市");
    await tap(userId, "survey=topic&v=casino");
    await tap(userId, "survey=gender&v=robot");
    expect(await friend(userId)).toMatchObject({ area: null, topics: [], gender: null });
    expect((await lastReply(userId))!.messages[0]!.text).toContain("性別");
  });

  it("unfollow marks the friend blocked and keeps what they told us; a re-follow restores them", async () => {
    const userId = await ctl.newUser();
    await act(userId, [{ type: "follow" }]);
    await tap(userId, "survey=gender&v=male");
    await tap(userId, "survey=age&v=70plus");
    const repliesBefore = (await ctl.sent(channel.channelId, userId)).length;
    await act(userId, [{ type: "unfollow" }]);
    const blocked = await friend(userId);
    expect(blocked).toMatchObject({ status: "blocked", gender: "male", ageBand: "70plus" });
    expect(blocked!.blockedAt).toBeInstanceOf(Date);
    expect(await ctl.sent(channel.channelId, userId)).toHaveLength(repliesBefore); // nobody to reply to
    await act(userId, [{ type: "follow" }]);
    expect(await friend(userId)).toMatchObject({ status: "following", blockedAt: null, gender: "male" });
  });

  it("keywords: 予約 links to the city's booking, 受信設定 reopens the topics, other text gets the contact notice, a location the shelter placeholder", async () => {
    const userId = await ctl.newUser();
    await act(userId, [{ type: "follow" }]);
    await act(userId, [{ type: "message", message: { type: "text", text: "予約したいです" } }]);
    // The LIFF URL, so the booking is recorded as LINE and can be linked (issue 13.3).
    expect((await lastReply(userId))!.messages[0]!.text).toContain(
      `https://liff.line.me/${channel.liffId}/reserve?channel=line`,
    );
    await act(userId, [{ type: "message", message: { type: "text", text: "受信設定" } }]);
    expect((await lastReply(userId))!.messages[0]!.text).toContain("受け取りたいお知らせ");
    expect((await friend(userId))!.surveyStep).toBe("topics");
    await act(userId, [{ type: "message", message: { type: "text", text: "犬の登録はどこでできますか" } }]);
    expect((await lastReply(userId))!.messages[0]!.text).toContain("お問い合わせは");
    await act(userId, [
      { type: "message", message: { type: "location", latitude: 34.27, longitude: 135.4, title: "自宅" } },
    ]);
    expect((await lastReply(userId))!.messages[0]!.text).toContain("避難所");
  });

  it("a redelivered webhook stores nothing new and enqueues nothing", async () => {
    const userId = await ctl.newUser();
    const r = await act(userId, [{ type: "follow" }]);
    const count = async () => [
      (await dbs.ownerDb.select().from(lineWebhookEvents).where(eq(lineWebhookEvents.tenantId, city.id))).length,
      (await dbs.ownerDb.select().from(outbox).where(eq(outbox.tenantId, city.id))).length,
    ];
    const before = await count();
    expect((await ctl.redeliver(r.deliveryId)).status).toBe(200);
    expect(await count()).toEqual(before);
  });

  it("a stored event whose payload fails validation (stored before the webhook checked) is settled once, not retried", async () => {
    const userId = await ctl.newUser();
    await act(userId, [{ type: "follow" }]);
    const [event] = await dbs.ownerDb
      .select()
      .from(lineWebhookEvents)
      .where(and(eq(lineWebhookEvents.tenantId, city.id), eq(lineWebhookEvents.lineUserId, userId)));
    // As an older webhook stored it: a nonsense timestamp, which new Date() cannot turn into a date.
    await dbs.ownerDb
      .update(lineWebhookEvents)
      .set({ processedAt: null, payload: { ...(event!.payload as object), timestamp: 1e20 } })
      .where(eq(lineWebhookEvents.id, event!.id));
    const deps = { db: dbs.appDb, key, appOrigin: "http://madoguchi.test", line };
    expect(await processLineEvent(deps, { tenantId: city.id, eventId: event!.id })).toBe("invalid-payload");
    const [settled] = await dbs.ownerDb.select().from(lineWebhookEvents).where(eq(lineWebhookEvents.id, event!.id));
    expect(settled!.processedAt).not.toBeNull();
    expect(settled!.error).toBe("invalid payload");
    expect(await processLineEvent(deps, { tenantId: city.id, eventId: event!.id })).toBe("already-processed");
  });

  it("a repeated job does nothing; an expired reply token is logged on the event, not retried", async () => {
    const userId = await ctl.newUser();
    await act(userId, [{ type: "follow" }]);
    const [event] = await dbs.ownerDb
      .select()
      .from(lineWebhookEvents)
      .where(and(eq(lineWebhookEvents.tenantId, city.id), eq(lineWebhookEvents.lineUserId, userId)));
    const deps = { db: dbs.appDb, key, appOrigin: "http://madoguchi.test", line };
    expect(await processLineEvent(deps, { tenantId: city.id, eventId: event!.id })).toBe("already-processed");
    // Pretend the first run crashed before marking it: its reply token has been used already.
    await dbs.ownerDb.update(lineWebhookEvents).set({ processedAt: null }).where(eq(lineWebhookEvents.id, event!.id));
    const repliesBefore = (await ctl.sent(channel.channelId, userId)).length;
    expect(await processLineEvent(deps, { tenantId: city.id, eventId: event!.id })).toBe("reply-failed");
    const [after] = await dbs.ownerDb.select().from(lineWebhookEvents).where(eq(lineWebhookEvents.id, event!.id));
    expect(after).toMatchObject({ error: "reply: bad_request (400)" });
    expect(after!.processedAt).toBeInstanceOf(Date);
    expect(await ctl.sent(channel.channelId, userId)).toHaveLength(repliesBefore);
  });
});
