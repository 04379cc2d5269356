import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { lineFriends, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { relayAndProcess } from "#tests/setup/jobs";
import { friendLanguageOf } from "~/features/line/friends.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { closeRedis } from "~/lib/redis.server";
import { emulatorControl, makeLineChannel, startWebhookReceiver, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The friend's language (ADR 039) through the real inbound path: LINE emulator → signed webhook →
 * outbox → worker → reply. Until the friend answers the survey's first question, the LINE app's
 * language (profile API) is used; the answer sets `line_friends.language` and every later message.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
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
  city = await makeTenant(dbs.appDb, { name: "言語テスト市", areas: ["北地区", "南地区"] });
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

const processAll = () => relayAndProcess(dbs.appDb, { smtpPort: 9, key, tenantId: city.id, line });
const friend = async (userId: string) =>
  (
    await dbs.ownerDb
      .select()
      .from(lineFriends)
      .where(and(eq(lineFriends.tenantId, city.id), eq(lineFriends.lineUserId, userId)))
  )[0];
const lastReply = async (userId: string) =>
  (await ctl.sent(channel.channelId, userId)).filter((m) => m.kind === "reply").at(-1)!;
const labels = (m: { quickReply?: { items: { action: { label: string } }[] } }) =>
  m.quickReply!.items.map((i) => i.action.label);

async function act(userId: string, events: object[]) {
  expect((await ctl.events(channel.channelId, userId, events)).status).toBe(200);
  await processAll();
}
const follow = (userId: string) => act(userId, [{ type: "follow" }]);
const tap = (userId: string, data: string) => act(userId, [{ type: "postback", postback: { data } }]);

describe("a LINE friend's language", () => {
  it("is the LINE app's language until chosen; the survey's first question sets it", async () => {
    const userId = await ctl.newUser({ language: "en" });
    await follow(userId);
    expect(await friend(userId)).toMatchObject({ language: "en", surveyStep: "language" });
    const greeting = await lastReply(userId);
    expect(greeting.messages[0]!.text).toContain("Thank you for adding the official account of 言語テスト市");
    expect(greeting.messages[1]!.text).toContain("Please choose the language for your messages.");
    expect(labels(greeting.messages[1]!)).toEqual(["日本語", "English", "やさしい にほんご"]);

    await tap(userId, "survey=language&v=ja-x-easy");
    expect(await friend(userId)).toMatchObject({ language: "ja-x-easy", surveyStep: "gender" });
    const gender = (await lastReply(userId)).messages[0]!;
    // やさしい日本語 in LINE: furigana in parentheses in the text, none on the (20-character) buttons.
    expect(gender.text).toBe("【質問（しつもん）1】あなたの 性別（せいべつ）を 教（おし）えてください。");
    expect(labels(gender)).toEqual(["女性", "男性", "そのほか", "答えない"]);

    await tap(userId, "survey=gender&v=female");
    expect((await lastReply(userId)).messages[0]!.text).toBe(
      "【質問（しつもん）2】あなたの 年（とし）を 教（おし）えてください。",
    );
  });

  it("a LINE app in a language we do not ship gets Japanese, and English once chosen", async () => {
    const userId = await ctl.newUser({ language: "zh-Hant" });
    await follow(userId);
    expect(await friend(userId)).toMatchObject({ language: null, surveyStep: "language" });
    expect((await lastReply(userId)).messages[0]!.text).toContain("友だち追加していただき、ありがとうございます。");

    await tap(userId, "survey=language&v=en");
    expect(await friend(userId)).toMatchObject({ language: "en" });
    const gender = (await lastReply(userId)).messages[0]!;
    expect(gender.text).toBe("[Question 1] What is your gender?");
    expect(labels(gender)).toEqual(["Female", "Male", "Other", "Prefer not to say"]);
    await tap(userId, "survey=gender&v=male");
    await tap(userId, "survey=age&v=70plus");
    expect(labels((await lastReply(userId)).messages[0]!)).toEqual(["北地区", "南地区", "Prefer not to say"]);
    await tap(userId, "survey=area&v=__none__");
    await tap(userId, "survey=done");
    expect((await lastReply(userId)).messages[0]!.text).toContain("You have not chosen any notices.");
    // What phase 2's pushes and reminders use.
    const langOf = (u: string) => withTenant(dbs.appDb, city.id, (tx) => friendLanguageOf(tx, city.id, u));
    expect(await langOf(userId)).toBe("en");
    expect(await langOf("U00000000000000000000000000000000")).toBe("ja");
  });

  it("an unknown language answer asks again and stores nothing; a re-follow keeps the chosen language", async () => {
    const userId = await ctl.newUser({ language: "ja" });
    await follow(userId);
    await tap(userId, "survey=language&v=en");
    await tap(userId, "survey=language&v=xx");
    expect(await friend(userId)).toMatchObject({ language: "en" });
    expect((await lastReply(userId)).messages[0]!.text).toContain("Please choose the language for your messages.");

    await act(userId, [{ type: "unfollow" }]);
    await follow(userId);
    expect(await friend(userId)).toMatchObject({ language: "en", surveyStep: "language" });
    expect((await lastReply(userId)).messages[0]!.text).toContain("Thank you for adding");
  });

  it("without a profile language (LINE may omit it) the greeting is Japanese", async () => {
    const userId = await ctl.newUser({ language: "" });
    await follow(userId);
    expect(await friend(userId)).toMatchObject({ language: null });
    expect((await lastReply(userId)).messages[0]!.text).toContain("友だち追加していただき");
  });
});
