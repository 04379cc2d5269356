import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import type { Tenant } from "#db/schema/index";
import { relayAndProcess } from "#tests/setup/jobs";
import type { LineApiConfig } from "~/integrations/line/client.server";
import type { CityContact } from "~/lib/city-contact";
import { closeRedis } from "~/lib/redis.server";
import { emulatorControl, makeLineChannel, startWebhookReceiver, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Issue 13.1/13.3/13.4 through the real inbound path (LINE emulator → signed webhook → worker →
 * reply): the rich menu's 問い合わせ and 避難所 tiles (they send these texts), a shared location,
 * free text, and the 予約 keyword, for a city with its contact set and one without.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
let emu: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let ctl: ReturnType<typeof emulatorControl>;
let line: LineApiConfig;

const CONTACT: CityContact = {
  phones: [
    { label: "予約専用ダイヤル", number: "0736-00-1234", hours: "平日 8:30〜17:15" },
    { label: "市役所 代表", number: "0736-00-1111", hours: "平日 8:30〜17:15" },
  ],
  webUrl: "https://www.contact-test.example/",
  disasterUrl: "https://www.contact-test.example/bousai/",
  disasterPhone: "0736-00-1199",
};

type City = { tenant: Tenant; channel: PlainChannel };
let withContact: City;
let bare: City;

async function city(name: string, contact: CityContact | null): Promise<City> {
  const tenant = await makeTenant(dbs.appDb, { name, contact });
  const channel = await makeLineChannel(dbs.appDb, key, tenant.id);
  await ctl.registerChannel({ ...channel, webhookUrl: receiver.url(tenant.id) });
  return { tenant, channel };
}

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  receiver = await startWebhookReceiver(dbs.appDb, key);
  line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } };
  withContact = await city("窓口テスト市", CONTACT);
  bare = await city("未設定テスト町", null);
});
afterAll(async () => {
  await receiver.close();
  await emu.close();
  await closeRedis();
  await dbs.close();
});

/** Sends one event as a new friend and returns the text of the account's reply. */
async function replyTo(c: City, event: object): Promise<string> {
  const userId = await ctl.newUser();
  expect((await ctl.events(c.channel.channelId, userId, [event])).status).toBe(200);
  await relayAndProcess(dbs.appDb, { smtpPort: 9, key, tenantId: c.tenant.id, line });
  const replies = (await ctl.sent(c.channel.channelId, userId)).filter((m) => m.kind === "reply");
  expect(replies).toHaveLength(1);
  return replies[0]!.messages.map((m) => m.text ?? "").join("\n");
}
const say = (c: City, text: string) => replyTo(c, { type: "message", message: { type: "text", text } });
const GENERIC = "個別のご質問にお答えできません";

describe("LINE replies carry the city's contact details", () => {
  it("the 問い合わせ tile answers with every number, its label and hours, and the web page", async () => {
    const text = await say(withContact, "問い合わせ");
    expect(text).toContain("予約専用ダイヤル 0736-00-1234（平日 8:30〜17:15）");
    expect(text).toContain("市役所 代表 0736-00-1111（平日 8:30〜17:15）");
    expect(text).toContain("https://www.contact-test.example/");
    expect(text).not.toContain(GENERIC);
  });

  it("the 避難所 tile and a shared location answer with the disaster page and number", async () => {
    for (const text of [
      await say(withContact, "避難所"),
      await replyTo(withContact, {
        type: "message",
        message: { type: "location", latitude: 34.27, longitude: 135.4, title: "自宅" },
      }),
    ]) {
      expect(text).toContain("https://www.contact-test.example/bousai/");
      expect(text).toContain("0736-00-1199");
      expect(text).toContain("119番");
      expect(text).not.toContain(GENERIC);
    }
  });

  it("free text the account cannot answer points to the numbers, not a dead end", async () => {
    const text = await say(withContact, "犬の登録はどこでできますか");
    expect(text).toContain("0736-00-1234");
    expect(text).toContain("「予約」と送ると");
    expect(text).not.toContain(GENERIC);
  });

  it("予約 answers with the LIFF URL carrying channel=line (issue 13.3)", async () => {
    const text = await say(withContact, "予約したい");
    expect(text).toContain(`https://liff.line.me/${withContact.channel.liffId}/reserve?channel=line`);
    expect(text).not.toContain(`/c/${withContact.tenant.slug}/reserve`);
  });

  it("a city that has not set its contact still answers politely, without invented numbers", async () => {
    const contact = await say(bare, "問い合わせ");
    expect(contact).toContain("未設定テスト町の市役所・役場の担当窓口");
    expect(contact).not.toMatch(/\d{2,4}-\d{2,4}-\d{3,4}/);
    const shelter = await say(bare, "避難所");
    expect(shelter).toContain("未設定テスト町のホームページや防災無線");
    expect(shelter).toContain("119番");
  });
});
