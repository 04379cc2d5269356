import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { withTenant } from "#db/with-tenant.server";
import { conversationDialogs, faqUnanswered, lineWebhookEvents, type Tenant } from "#db/schema/index";
import { processLineEvent } from "#jobs/processors/line/process-line-event";
import { relayAndProcess } from "#tests/setup/jobs";
import { converse, type Routing } from "~/features/conversation/engine.server";
import { lineEventCity } from "~/features/line/events.server";
import { createFaqEntry } from "~/features/faq/admin.server";
import { faqResponder } from "~/features/faq/answers.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import type { Dialog, Incoming, Responder } from "~/lib/conversation";
import { closeRedis } from "~/lib/redis.server";
import { emulatorControl, makeLineChannel, startWebhookReceiver, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { makeStaff } from "#tests/factories/staff";
import { testDbs } from "#tests/setup/db";

/**
 * The conversation engine (issue 16) through the real inbound path — LINE emulator → signed webhook
 * → worker → reply — and, for the dialog rules, called directly with a test dialog in its routing.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
let emu: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let ctl: ReturnType<typeof emulatorControl>;
let line: LineApiConfig;
let tenant: Tenant;
let channel: PlainChannel;

const CONTACT = {
  phones: [{ label: "市役所 代表", number: "0736-00-1111", hours: "平日 8:30〜17:15" }],
  webUrl: null,
  disasterUrl: null,
  disasterPhone: null,
};

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  receiver = await startWebhookReceiver(dbs.appDb, key);
  line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } };
  tenant = await makeTenant(dbs.appDb, { name: "会話テスト市", contact: CONTACT });
  channel = await makeLineChannel(dbs.appDb, key, tenant.id);
  await ctl.registerChannel({ ...channel, webhookUrl: receiver.url(tenant.id) });
  const staff = await makeStaff(dbs.appDb, { tenantId: tenant.id });
  const actor = { staffUserId: staff.user.id };
  const entry = (question: string, category: string, variants: string[] = []) =>
    createFaqEntry(
      dbs.appDb,
      tenant.id,
      { question, answer: `${question}の回答です。`, category, variants, published: true },
      actor,
    );
  await entry("マイナンバーカードの受け取り", "マイナンバーカード", ["マイナカード 交付"]);
  await entry("マイナンバーカードの申請方法", "マイナンバーカード");
  await entry("マイナンバーカードの暗証番号を忘れた", "マイナンバーカード");
  await entry("ペットボトルの出し方", "ごみ");
  await entry("住民票の写しの取り方", "住民票", ["住民票 コンビニ"]);
  await createFaqEntry(
    dbs.appDb,
    tenant.id,
    { question: "非公開の質問", answer: "非公開", category: "内部", variants: ["ひみつ"], published: false },
    actor,
  );
});
afterAll(async () => {
  await receiver.close();
  await emu.close();
  await closeRedis();
  await dbs.close();
});

type Sent = { type: string; text?: string; quickReply?: { items: { action: { label: string; data?: string } }[] } };

async function send(event: object, userId?: string) {
  const user = userId ?? (await ctl.newUser());
  expect((await ctl.events(channel.channelId, user, [event])).status).toBe(200);
  await relayAndProcess(dbs.appDb, { smtpPort: 9, key, tenantId: tenant.id, line });
  const sent = await ctl.sent(channel.channelId, user);
  return { user, last: sent.at(-1)!, messages: sent.at(-1)!.messages as Sent[] };
}
const say = (text: string, userId?: string) => send({ type: "message", message: { type: "text", text } }, userId);
const tap = (data: string, userId?: string) => send({ type: "postback", postback: { data } }, userId);
const labels = (m: Sent) => (m.quickReply?.items ?? []).map((i) => i.action.label);

describe("the router through LINE", () => {
  it("fixed keywords come before the FAQ: 予約 and 問い合わせ answer even when an entry would match", async () => {
    await createFaqEntry(
      dbs.appDb,
      tenant.id,
      { question: "予約の方法", answer: "FAQ側の予約回答", category: "予約", variants: [], published: true },
      { staffUserId: (await makeStaff(dbs.appDb, { tenantId: tenant.id })).user.id },
    );
    const reserve = await say("予約の方法");
    expect(reserve.messages[0]!.text).toContain("/reserve?channel=line");
    expect(reserve.messages[0]!.text).not.toContain("FAQ側の予約回答");
    expect((await say("問い合わせ")).messages[0]!.text).toContain("0736-00-1111");
  });

  it("one clear FAQ match answers; variants of width, script and okurigana find the same entry", async () => {
    for (const q of ["マイナカード 受取", "ﾍﾟｯﾄﾎﾞﾄﾙ", "ぺっとぼとる", "住民票をコンビニで"]) {
      const { messages } = await say(q);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.text).toMatch(/の回答です。/);
    }
    expect((await say("マイナカード 受取")).messages[0]!.text).toContain("マイナンバーカードの受け取りの回答です。");
  });

  it("an ambiguous question offers up to 3 entries as quick replies, and a tap answers it", async () => {
    const { user, messages } = await say("マイナンバーカード");
    expect(labels(messages[0]!)).toHaveLength(3);
    const item = messages[0]!.quickReply!.items.find((i) => i.action.label.includes("暗証番号"))!;
    const answer = await tap(item.action.data!, user);
    expect(answer.messages[0]!.text).toContain("マイナンバーカードの暗証番号を忘れたの回答です。");
  });

  it("an unknown question gets the fallback (numbers, up to 3 categories) and is counted in 未回答 without the friend", async () => {
    const first = await say("犬の登録はどこで？");
    const text = first.messages[0]!.text!;
    expect(text).toContain("0736-00-1111");
    expect(text).toContain("「予約」と送ると");
    // The categories with the most entries first (3 マイナンバーカード entries), at most 3.
    expect(labels(first.messages[0]!)).toHaveLength(3);
    expect(labels(first.messages[0]!)[0]).toBe("マイナンバーカード");
    await say("犬の登録はどこで？");
    const rows = await withTenant(dbs.appDb, tenant.id, (tx) =>
      tx.select().from(faqUnanswered).where(eq(faqUnanswered.tenantId, tenant.id)),
    );
    expect(rows.find((r) => r.text === "犬の登録はどこで?")).toMatchObject({ count: 2 });
    expect(JSON.stringify(rows)).not.toContain(first.user);
    // A category button lists that category's entries.
    const cat = await tap("faq-cat=ごみ", first.user);
    expect(labels(cat.messages[0]!)).toEqual(["ペットボトルの出し方"]);
    // Unpublished entries are never answered.
    expect((await say("ひみつ")).messages[0]!.text).not.toContain("非公開");
  });

  it("emoji-only, 5,000-character and control-character messages get the fallback, never an error", async () => {
    for (const q of ["👍🎉", "あ".repeat(5000), "\u0007\u001b[31m", "   "]) {
      const { last, messages } = await say(q);
      expect(last.kind).toBe("reply");
      expect(messages[0]!.text).toContain("0736-00-1111");
    }
  });

  it("an image gets the image fallback; an unknown postback the fallback", async () => {
    const img = await send({
      type: "message",
      message: { type: "image", contentType: "image/jpeg", contentBase64: Buffer.from("fake-jpeg").toString("base64") },
    });
    expect(img.messages[0]!.text).toContain("画像を送っていただき");
    expect((await tap("no-such=button")).messages[0]!.text).toContain("0736-00-1111");
  });

  it("replies in the friend's language", async () => {
    const user = await ctl.newUser({ language: "en" });
    await send({ type: "follow" }, user);
    await tap("survey=language&v=en", user);
    const { messages } = await say("unknown thing", user);
    expect(messages[0]!.text).toContain("could not find an answer");
  });
});

describe("reply token or push", () => {
  it("a fresh event is replied to; one older than the token's life is pushed with the event id as retry key", async () => {
    const user = await ctl.newUser();
    await ctl.events(channel.channelId, user, [{ type: "message", message: { type: "text", text: "問い合わせ" } }]);
    const [event] = await dbs.ownerDb
      .select()
      .from(lineWebhookEvents)
      .where(and(eq(lineWebhookEvents.tenantId, tenant.id), eq(lineWebhookEvents.lineUserId, user)));
    const late = { db: dbs.appDb, key, appOrigin: "http://madoguchi.test", line, now: () => Date.now() + 120_000 };
    expect(await processLineEvent(late, { tenantId: tenant.id, eventId: event!.id })).toBe("pushed");
    const sent = await ctl.sent(channel.channelId, user);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: "push", retryKey: event!.id, to: [user] });
    const fresh = await say("問い合わせ");
    expect(fresh.last.kind).toBe("reply");
  });
});

describe("dialogs", () => {
  // A two-step test dialog: asks a name, then a colour, then ends.
  const order: Dialog<{ name?: string }> = {
    name: "test-order",
    ttlSeconds: 600,
    start: async () => ({ messages: [{ type: "text", text: "お名前は？" }], state: {} }),
    step: async (input: Incoming, state) => {
      const text = input.kind === "text" ? input.normalised : "?";
      if (!state.name) return { messages: [{ type: "text", text: `${text}さん、色は？` }], state: { name: text } };
      return { messages: [{ type: "text", text: `${state.name}さんの${text}で承りました` }], state: null };
    },
  };
  const starter: Responder = {
    name: "test-starter",
    respond: async (input) =>
      input.kind === "text" && input.normalised === "注文"
        ? { messages: [], startDialog: { dialog: "test-order" } }
        : null,
  };
  const routing: Routing = { responders: [starter, faqResponder], dialogs: [order as unknown as Dialog] };

  async function run(userId: string, text: string, now: Date) {
    return withTenant(dbs.appDb, tenant.id, async (tx) => {
      const city = (await lineEventCity(tx, tenant.id))!;
      const input: Incoming = { kind: "text", text, normalised: text.normalize("NFKC").trim() };
      const messages = await converse(tx, city, userId, input, { appOrigin: "http://madoguchi.test", now, routing });
      return messages.map((m) => (m as { text: string }).text).join("\n");
    });
  }
  const state = (userId: string) =>
    dbs.ownerDb
      .select()
      .from(conversationDialogs)
      .where(and(eq(conversationDialogs.tenantId, tenant.id), eq(conversationDialogs.lineUserId, userId)));

  it("an active dialog takes the next message before keywords and the FAQ, and ends with its last step", async () => {
    const user = await ctl.newUser();
    const now = new Date();
    expect(await run(user, "注文", now)).toBe("お名前は？");
    expect(await run(user, "予約", now)).toBe("予約さん、色は？");
    expect((await state(user))[0]).toMatchObject({ dialog: "test-order", state: { name: "予約" } });
    expect(await run(user, "ペットボトル", now)).toBe("予約さんのペットボトルで承りました");
    expect(await state(user)).toHaveLength(0);
  });

  it("「やめる」 or 「キャンセル」 cancels at any step", async () => {
    for (const word of ["やめる", "キャンセル"]) {
      const user = await ctl.newUser();
      const now = new Date();
      await run(user, "注文", now);
      await run(user, "山田", now);
      expect(await run(user, word, now)).toContain("手続きをやめました");
      expect(await state(user)).toHaveLength(0);
      expect(await run(user, "ペットボトル", now)).toContain("ペットボトルの出し方の回答です。");
    }
  });

  it("an expired dialog answers from the start", async () => {
    const user = await ctl.newUser();
    const now = new Date();
    await run(user, "注文", now);
    const later = new Date(now.getTime() + 601_000);
    expect(await run(user, "ペットボトル", later)).toContain("ペットボトルの出し方の回答です。");
    expect(await run(user, "注文", later)).toBe("お名前は？");
  });

  it("the FAQ's tentative choices give way to a later responder's definite answer, its clear answers do not", async () => {
    const later: Responder = {
      name: "test-later",
      respond: async (input) =>
        input.kind === "text" ? { messages: [{ type: "text", text: "後の応答者の答え" }] } : null,
    };
    const withLater: Routing = { responders: [faqResponder, later], dialogs: [] };
    const ask = (userId: string, text: string) =>
      withTenant(dbs.appDb, tenant.id, async (tx) => {
        const city = (await lineEventCity(tx, tenant.id))!;
        const input: Incoming = { kind: "text", text, normalised: text };
        const messages = await converse(tx, city, userId, input, {
          appOrigin: "http://madoguchi.test",
          now: new Date(),
          routing: withLater,
        });
        return (messages[0] as { text: string }).text;
      });
    const user = await ctl.newUser();
    expect(await ask(user, "マイナンバーカード")).toBe("後の応答者の答え");
    expect(await ask(user, "ペットボトル")).toContain("ペットボトルの出し方の回答です。");
    // Without a later answer, the choices are sent (the router test above).
  });
});
