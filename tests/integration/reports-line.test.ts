import exifr from "exifr";
import sharp from "sharp";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { withTenant } from "#db/with-tenant.server";
import { conversationDialogs, reportFollowers, reportPhotos, reports, type Tenant } from "#db/schema/index";
import { purgeConversation } from "#jobs/processors/maintenance/purge-conversation";
import { relayAndProcess } from "#tests/setup/jobs";
import { saveReportSettings } from "~/features/reports/reports.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { closeRedis } from "~/lib/redis.server";
import { emulatorControl, makeLineChannel, startWebhookReceiver, type PlainChannel } from "#tests/factories/line";
import { hugeJpeg, phoneJpeg } from "#tests/factories/report-photos";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * 通報 in LINE (issue 17) through the real inbound path: LINE emulator → signed webhook → worker →
 * the report dialog → reply; photos are fetched from the emulator's content API.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
let emu: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let ctl: ReturnType<typeof emulatorControl>;
let line: LineApiConfig;
let tenant: Tenant;
let other: Tenant;
let channel: PlainChannel;

const INSIDE = { latitude: 34.2251, longitude: 135.1702 };
const BOUNDS = { south: 34.1, west: 135.0, north: 34.35, east: 135.35 };

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  receiver = await startWebhookReceiver(dbs.appDb, key);
  line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } };
  tenant = await makeTenant(dbs.appDb, {
    name: "通報テスト市",
    contact: {
      phones: [{ label: "道路課", number: "0736-00-2222", hours: "平日" }],
      webUrl: null,
      disasterUrl: null,
      disasterPhone: "0736-00-9999",
    },
  });
  other = await makeTenant(dbs.appDb, { name: "となり町" });
  channel = await makeLineChannel(dbs.appDb, key, tenant.id);
  await ctl.registerChannel({ ...channel, webhookUrl: receiver.url(tenant.id) });
  await withTenant(dbs.appDb, tenant.id, (tx) => saveReportSettings(tx, tenant.id, { bounds: BOUNDS }));
});
afterAll(async () => {
  await receiver.close();
  await emu.close();
  await closeRedis();
  await dbs.close();
});

type Sent = {
  type: string;
  text?: string;
  quickReply?: { items: { action: { type: string; label: string; data?: string } }[] };
};

async function send(event: object, user: string) {
  expect((await ctl.events(channel.channelId, user, [event])).status).toBe(200);
  await relayAndProcess(dbs.appDb, { smtpPort: 9, key, tenantId: tenant.id, line });
  const sent = await ctl.sent(channel.channelId, user);
  return sent.at(-1)!.messages as Sent[];
}
const say = (text: string, user: string) => send({ type: "message", message: { type: "text", text } }, user);
const tap = (data: string, user: string) => send({ type: "postback", postback: { data } }, user);
const image = (bytes: Buffer, user: string, padToBytes?: number) =>
  send(
    {
      type: "message",
      message: { type: "image", contentType: "image/jpeg", contentBase64: bytes.toString("base64"), padToBytes },
    },
    user,
  );
const locate = (p: { latitude: number; longitude: number }, user: string) =>
  send({ type: "message", message: { type: "location", title: "地点", address: "紀ノ川市本町1丁目", ...p } }, user);
const items = (m: Sent) => m.quickReply?.items ?? [];
const button = (m: Sent, label: string) => items(m).find((i) => i.action.label === label)?.action.data;
const text = (ms: Sent[]) => ms.map((m) => m.text ?? "").join("\n");

const reportsOf = (user: string) =>
  withTenant(dbs.appDb, tenant.id, (tx) =>
    tx
      .select()
      .from(reports)
      .where(and(eq(reports.tenantId, tenant.id), eq(reports.reporterLineUserId, user))),
  );

describe("the report dialog", () => {
  it("category → photo (EXIF stripped, GPS offered) → outside point refused → inside → description → 受付番号", async () => {
    const user = await ctl.newUser();
    const start = await say("通報", user);
    expect(items(start[0]!).map((i) => i.action.label)).toContain("道路の穴・段差");
    const ask = await tap(button(start[0]!, "道路の穴・段差")!, user);
    expect(items(ask[0]!).map((i) => i.action.type)).toEqual(["camera", "cameraRoll", "postback"]);

    const got = await image(await phoneJpeg(INSIDE), user);
    expect(got[0]!.text).toContain("写真を受け取りました（1/3枚）");
    const place = await tap(button(got[0]!, "次へ")!, user);
    expect(items(place[0]!).map((i) => i.action.label)).toEqual(["位置情報を送る", "写真の場所を使う"]);

    const outside = await locate({ latitude: 35.6812, longitude: 139.7671 }, user);
    expect(outside[0]!.text).toContain("通報テスト市の区域の外");
    const desc = await locate(INSIDE, user);
    expect(desc[0]!.text).toContain("どのような状態か");
    const confirm = await say("歩道の端に深さ10cmほどの穴があります", user);
    expect(text(confirm)).toContain("種類：道路の穴・段差");
    expect(text(confirm)).toContain("写真：1枚");
    const done = await tap(button(confirm.at(-1)!, "送信する")!, user);
    const number = /受付番号：(R-[0-9A-Z]{7})/.exec(done[0]!.text!)?.[1];
    expect(number).toBeDefined();

    const [row] = await reportsOf(user);
    expect(row).toMatchObject({ number, category: "道路の穴・段差", state: "received", source: "line" });
    expect(row!.latitude).toBeCloseTo(INSIDE.latitude, 5);
    const photos = await withTenant(dbs.appDb, tenant.id, (tx) =>
      tx.select().from(reportPhotos).where(eq(reportPhotos.reportId, row!.id)),
    );
    expect(photos).toHaveLength(1);
    // Re-encoded, bounded, and with no metadata at all: no GPS, no camera.
    const meta = await sharp(photos[0]!.data).metadata();
    expect(meta.format).toBe("jpeg");
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1600);
    expect(meta.exif).toBeUndefined();
    expect(await exifr.gps(photos[0]!.data).catch(() => undefined)).toBeUndefined();
    expect(await exifr.parse(photos[0]!.data).catch(() => undefined)).toBeUndefined();
    expect(photos[0]!.data.includes(Buffer.from("TestPhone"))).toBe(false);

    // The dialog is over; 「通報の状況」 lists it.
    expect(text(await say("通報の状況", user))).toContain(`${number} 道路の穴・段差：受付`);
  });

  it("a non-image, a 30 MB file and a truncated JPEG each get a clear reply and store nothing", async () => {
    const user = await ctl.newUser();
    const start = await say("通報", user);
    await tap(button(start[0]!, "街灯の故障")!, user);
    expect((await image(Buffer.from("%PDF-1.7 not a photo"), user))[0]!.text).toContain("写真として読めないファイル");
    expect((await image(hugeJpeg(1024), user, 30 * 1024 * 1024))[0]!.text).toContain("写真が大きすぎます");
    const jpeg = await phoneJpeg();
    expect((await image(jpeg.subarray(0, Math.floor(jpeg.length / 2)), user))[0]!.text).toContain("途中で切れている");
    const pending = await withTenant(dbs.appDb, tenant.id, (tx) =>
      tx.select({ id: reportPhotos.id }).from(reportPhotos).where(eq(reportPhotos.lineUserId, user)),
    );
    expect(pending).toHaveLength(0);
  }, 60_000);

  it("the emergency category answers with the city's emergency number at once and still records; a landmark in words is a place", async () => {
    const user = await ctl.newUser();
    const start = await say("通報", user);
    const first = await tap(button(start[0]!, "道路の陥没で危険")!, user);
    expect(first[0]!.text).toContain("0736-00-9999");
    const place = await tap(button(first[1]!, "写真なし")!, user);
    const desc = await say("〇〇小学校の北側の交差点", user);
    expect(place[0]!.text).toContain("場所を教えてください");
    const confirm = await tap(button(desc[0]!, "説明なし")!, user);
    expect(text(confirm)).toContain("場所：〇〇小学校の北側の交差点");
    await tap(button(confirm.at(-1)!, "送信する")!, user);
    const [row] = await reportsOf(user);
    expect(row).toMatchObject({ category: "道路の陥没で危険", landmark: "〇〇小学校の北側の交差点", latitude: null });
  });

  it("a report of the same category within 50 m is offered; following it records a follower and no new report", async () => {
    const first = await ctl.newUser();
    let ms = await say("通報", first);
    ms = await tap(button(ms[0]!, "公園の遊具")!, first);
    await tap(button(ms[0]!, "写真なし")!, first);
    await locate(INSIDE, first);
    ms = await say("ブランコの鎖が切れています", first);
    await tap(button(ms.at(-1)!, "送信する")!, first);
    const [original] = await reportsOf(first);

    const second = await ctl.newUser();
    ms = await say("通報", second);
    ms = await tap(button(ms[0]!, "公園の遊具")!, second);
    await tap(button(ms[0]!, "写真なし")!, second);
    await locate({ latitude: INSIDE.latitude + 0.0002, longitude: INSIDE.longitude }, second);
    ms = await say("ブランコが壊れている", second);
    expect(ms[0]!.text).toContain("同じ場所の通報があります");
    expect(ms[0]!.text).toContain(original!.number);
    const done = await tap(button(ms[0]!, "この通報をフォローする")!, second);
    expect(done[0]!.text).toContain(`${original!.number} をフォローしました`);
    expect(await reportsOf(second)).toHaveLength(0);
    const followers = await withTenant(dbs.appDb, tenant.id, (tx) =>
      tx.select().from(reportFollowers).where(eq(reportFollowers.reportId, original!.id)),
    );
    expect(followers.map((f) => f.lineUserId)).toEqual([second]);
    expect(text(await say("通報の状況", second))).toContain(original!.number);
  });

  it("「やめる」 ends the dialog; an expired dialog starts afresh; another city's report cannot be followed", async () => {
    const user = await ctl.newUser();
    await say("通報", user);
    let ms = await say("やめる", user);
    expect(ms[0]!.text).toContain("手続きをやめました");
    ms = await say("通報", user);
    await tap(button(ms[0]!, "河川")!, user);
    await dbs.ownerDb
      .update(conversationDialogs)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(conversationDialogs.lineUserId, user));
    // Routed from the start: a location outside any dialog is the 避難所 answer, not a report's place.
    ms = await locate(INSIDE, user);
    expect(text(ms)).not.toContain("どのような状態か");

    const foreign = await withTenant(dbs.appDb, other.id, async (tx) => {
      const { createReport } = await import("~/features/reports/reports.server");
      return createReport(tx, other.id, {
        category: "河川",
        point: INSIDE,
        area: null,
        landmark: null,
        description: "",
        source: "web",
      });
    });
    ms = await say("通報", user);
    ms = await tap(button(ms[0]!, "河川")!, user);
    await tap(button(ms[0]!, "写真なし")!, user);
    ms = await locate(INSIDE, user);
    ms = await tap(button(ms[0]!, "説明なし")!, user);
    // The neighbouring town's report at the same point is not offered, and its id cannot be followed.
    expect(text(ms)).not.toContain(foreign.number);
    ms = await tap(`report=follow:${foreign.id}`, user);
    expect(text(ms)).toContain("この内容で通報しますか");
  });

  it("a photo of a dialog ended by 「やめる」 is purged by the daily job a day later", async () => {
    const user = await ctl.newUser();
    const ms = await say("通報", user);
    await tap(button(ms[0]!, "その他")!, user);
    await image(await phoneJpeg(), user);
    await say("やめる", user);
    const pending = () =>
      withTenant(dbs.appDb, tenant.id, (tx) =>
        tx.select({ id: reportPhotos.id }).from(reportPhotos).where(eq(reportPhotos.lineUserId, user)),
      );
    expect(await pending()).toHaveLength(1);
    await purgeConversation({ db: dbs.appDb });
    expect(await pending()).toHaveLength(1);
    const purged = await purgeConversation({ db: dbs.appDb }, { now: new Date(Date.now() + 2 * 86_400_000) });
    expect(purged.photos).toBeGreaterThanOrEqual(1);
    expect(await pending()).toHaveLength(0);
  });
});
