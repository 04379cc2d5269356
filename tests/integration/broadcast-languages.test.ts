import { eq } from "drizzle-orm";
import { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { broadcastChunks, broadcastRuns, broadcasts, type Tenant } from "#db/schema/index";
import { chunkQueue } from "#jobs/processors/broadcast/broadcast";
import { processorFor } from "#jobs/processors/index.server";
import { bullPrefix, createQueues, redisConnection } from "#jobs/queues.server";
import { relayOutboxOnce } from "#jobs/relay.server";
import { addFriend, seedFriends } from "#tests/factories/broadcasts";
import { emulatorControl, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { countRecipientsByLanguage, createBroadcast } from "~/features/broadcasts/broadcasts.server";
import { readComposeForm, type ComposedDraft } from "~/features/broadcasts/compose";
import { createMailer } from "~/integrations/mail.server";
import { closeRedis } from "~/lib/redis.server";

/**
 * Broadcasts in several languages (issue 15 phase 2, ADR 046) against the LINE emulator, real Redis
 * (BullMQ) and PostgreSQL: each friend receives the version in their language, Japanese when the
 * broadcast has none in it; one multicast carries one language; the composer's counts per language.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 9);
let emu: LineEmulator;
let ctl: ReturnType<typeof emulatorControl>;
let city: Tenant;
let channel: PlainChannel;
let queues: ReturnType<typeof createQueues>;
const prefix = process.env.REDIS_PREFIX!;
const actor = { staffUserId: "00000000-0000-4000-8000-000000000001", ip: "127.0.0.1" };
const U = (n: number) => `U${n.toString(16).padStart(32, "0")}`;
const seg = (areas: string[]): ComposedDraft["segment"] => ({
  match: "all",
  topics: [],
  topicsMatch: "any",
  genders: [],
  ageBands: [],
  areas,
});

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  city = await makeTenant(dbs.appDb, { name: "多言語配信市", areas: ["北地区", "南地区", "西地区"] });
  channel = await makeLineChannel(dbs.appDb, key, city.id);
  await ctl.registerChannel(channel);
  queues = createQueues(process.env.REDIS_URL!, prefix);
  await addFriend(dbs.appDb, city.id, { lineUserId: U(1), area: "北地区", language: "en" });
  await addFriend(dbs.appDb, city.id, { lineUserId: U(2), area: "北地区", language: null });
  await addFriend(dbs.appDb, city.id, { lineUserId: U(3), area: "北地区", language: "ja-x-easy" });
  await addFriend(dbs.appDb, city.id, { lineUserId: U(4), area: "北地区", language: "ja" });
  // A language we do not ship (a profile language kept from elsewhere): Japanese.
  await addFriend(dbs.appDb, city.id, { lineUserId: U(5), area: "北地区", language: "de" });
  await addFriend(dbs.appDb, city.id, { lineUserId: U(6), area: "南地区", language: "en" });
});
afterAll(async () => {
  await queues.close();
  await emu.close();
  await closeRedis();
  await dbs.close();
});

async function runToEnd(runId: string) {
  const mailer = createMailer("smtp://127.0.0.1:9", "test@madoguchi.example");
  const line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } };
  const worker = new Worker(
    "broadcast",
    processorFor("broadcast", {
      db: dbs.appDb,
      key,
      appOrigin: "https://madoguchi.test",
      mailer,
      line,
      broadcast: { queue: chunkQueue(queues), pacer: null },
    }),
    { connection: redisConnection(process.env.REDIS_URL!), prefix: bullPrefix(prefix), concurrency: 2 },
  );
  try {
    await relayOutboxOnce(dbs.appDb, queues, { batch: 1000, tenantId: city.id });
    for (let i = 0; i < 300; i++) {
      const [run] = await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.id, runId));
      if (run && (run.status === "sent" || run.status === "failed")) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("run did not finish");
  } finally {
    await worker.close();
    mailer.close();
  }
}

async function sendNow(draft: ComposedDraft) {
  const created = await createBroadcast(dbs.appDb, { tenantId: city.id, draft, upload: null, actor, now: new Date() });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const [run] = await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, created.id));
  return { id: created.id, run: await runToEnd(run!.id) };
}

/** The messages each friend received in multicasts since `since`. */
async function received(since: number) {
  const out = new Map<string, unknown[]>();
  for (const m of await ctl.sent(channel.channelId))
    if (m.kind === "multicast" && Date.parse((m as { at?: string }).at ?? "0") >= since)
      for (const to of m.to) out.set(to, [...(out.get(to) ?? []), ...m.messages]);
  return out;
}

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

describe("a broadcast with versions", () => {
  it("reaches an English friend in English and a Japanese friend in Japanese; one multicast per language", async () => {
    const since = Date.now();
    const parsed = readComposeForm(
      form({
        title: "ごみ収集の変更",
        kind: "text",
        text: "年末年始のごみ収集日が変わります。",
        "text.en": "Garbage collection days change over the New Year holidays.",
        schedule: "now",
        areas: "北地区",
      }),
      city,
      new Date(),
      { hasImage: false },
    );
    expect(parsed.ok).toBe(true);
    const draft = (parsed as { draft: ComposedDraft }).draft;
    expect(draft.versions).toEqual({ en: { text: "Garbage collection days change over the New Year holidays." } });
    const { id, run } = await sendNow(draft);
    expect(run).toMatchObject({ status: "sent", totalRecipients: 5, sentRecipients: 5, totalChunks: 2 });

    const got = await received(since);
    const text = (u: string) => (got.get(u) as { text: string }[] | undefined)?.map((m) => m.text);
    expect(text(U(1))).toEqual(["Garbage collection days change over the New Year holidays."]);
    // No やさしい日本語 version: that friend, the Japanese ones and the unshipped language get Japanese.
    for (const u of [U(2), U(3), U(4), U(5)]) expect(text(u)).toEqual(["年末年始のごみ収集日が変わります。"]);
    expect(got.has(U(6))).toBe(false);

    const chunks = await dbs.ownerDb
      .select({ language: broadcastChunks.language, size: broadcastChunks.size })
      .from(broadcastChunks)
      .where(eq(broadcastChunks.runId, run.id))
      .orderBy(broadcastChunks.seq);
    expect(chunks).toEqual([
      { language: "en", size: 1 },
      { language: "ja", size: 4 },
    ]);
    const [b] = await dbs.ownerDb.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(b!.versions).toEqual(draft.versions);
  });

  it("a card's title, body and button label per language; the link and the rest stay shared", async () => {
    const since = Date.now();
    const { run } = await sendNow({
      title: "健診のお知らせ",
      kind: "flex",
      card: { title: "健康診断", body: "受付中です。", buttonLabel: "詳しく", buttonUrl: "https://example.jp/kenshin" },
      versions: {
        en: { title: "Health check", body: "Bookings are open.", buttonLabel: "Details" },
        "ja-x-easy": {
          title: "{健康|けんこう}{診断|しんだん}",
          body: "{受付|うけつけ}を しています。",
          buttonLabel: "もっと {見|み}る",
        },
      },
      segment: seg(["北地区"]),
      schedule: { mode: "now" },
    });
    expect(run).toMatchObject({ status: "sent", totalRecipients: 5, totalChunks: 3 });
    const got = await received(since);
    const card = (u: string) => JSON.stringify(got.get(u));
    expect(card(U(1))).toContain("Health check");
    expect(card(U(1))).toContain("Details");
    expect(card(U(1))).toContain("https://example.jp/kenshin");
    // The furigana markup staff may type in a version goes out as readings in parentheses.
    expect(card(U(3))).toContain("健康（けんこう）診断（しんだん）");
    expect(card(U(3))).toContain("もっと 見（み）る");
    expect(card(U(2))).toContain("健康診断");
    expect(card(U(2))).toContain("詳しく");
  });

  it("counts the audience per language (unchosen and unshipped count as Japanese)", async () => {
    await seedFriends(dbs.appDb, city.id, { count: 30, seed: "west", areas: ["西地区"], topics: [] });
    expect(await countRecipientsByLanguage(dbs.appDb, city.id, seg(["北地区"]))).toEqual({
      total: 5,
      byLanguage: { ja: 3, en: 1, "ja-x-easy": 1 },
    });
    expect(await countRecipientsByLanguage(dbs.appDb, city.id, seg(["西地区"]))).toEqual({
      total: 30,
      byLanguage: { ja: 30, en: 0, "ja-x-easy": 0 },
    });
  });
});
