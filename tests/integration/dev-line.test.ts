import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { lineWebhookEvents, type Tenant } from "#db/schema/index";
import {
  act,
  addResident,
  listCities,
  loadSimulator,
  openLiff,
  selectResident,
  type DevLineDeps,
  type SimCity,
} from "~/features/dev-line/dev-line.server";
import { emulatorApi } from "~/features/dev-line/emulator.server";
import { readResidents } from "~/features/dev-line/residents.server";
import type { Bubble } from "~/features/dev-line/timeline.server";
import { closeRedis } from "~/lib/redis.server";
import { emulatorControl, makeLineChannel, startWebhookReceiver, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The LINE simulator's own logic against a real emulator and the real webhook handler (events are
 * stored, not processed: no worker here). The "app" answers are pushed straight to the emulator's
 * Messaging API, so the timeline mapping sees exactly what LINE would record.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 9);
const APP = "http://app.test";
let emu: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let ctl: ReturnType<typeof emulatorControl>;
let tenant: Tenant;
let channel: PlainChannel;
let deps: DevLineDeps;
let city: SimCity;

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  receiver = await startWebhookReceiver(dbs.appDb, key);
  tenant = await makeTenant(dbs.appDb, { name: "シミュレーター市" });
  channel = await makeLineChannel(dbs.appDb, key, tenant.id);
  await ctl.registerChannel({
    ...channel,
    loginChannelSecret: "login-secret-for-test",
    webhookUrl: receiver.url(tenant.id),
  });
  // A channel whose webhook is not one of the app's cities is not offered.
  await ctl.registerChannel({
    channelId: "1999999999",
    channelSecret: "s",
    channelAccessToken: "other-token",
    loginChannelId: "1",
    liffId: "1-x",
    botUserId: `U${"e".repeat(32)}`,
    webhookUrl: "http://elsewhere.test/hook",
  });
  deps = { api: emulatorApi(emu.url), db: dbs.appDb, appOrigin: APP };
  [city] = await listCities(deps);
});
afterAll(async () => {
  await receiver.close();
  await emu.close();
  await closeRedis();
  await dbs.close();
});

const lineApi = (path: string, body: unknown, contentType = "application/json") =>
  fetch(`${emu.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${channel.channelAccessToken}`, "content-type": contentType },
    body: typeof body === "string" || body instanceof Blob ? body : JSON.stringify(body),
  }).then(async (r) => {
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<Record<string, string>>;
  });
const push = (to: string, messages: object[]) => lineApi("/v2/bot/message/push", { to, messages });
const stored = (userId: string) =>
  dbs.ownerDb
    .select()
    .from(lineWebhookEvents)
    .where(and(eq(lineWebhookEvents.tenantId, tenant.id), eq(lineWebhookEvents.lineUserId, userId)))
    .orderBy(lineWebhookEvents.receivedAt);
const view = (userId: string) =>
  loadSimulator(deps, { kind: "ready", cities: [city], city, residents: [userId], userId });
const texts = (bubbles: Bubble[]) =>
  bubbles.map((b) =>
    b.body.type === "text"
      ? b.body.segments.map((s) => s.text).join("")
      : b.body.type === "note"
        ? `[${b.body.text}]`
        : `<${b.body.type}>`,
  );

/** A PNG the emulator accepts: signature + IHDR with the given size (it reads nothing more). */
function png(width: number, height: number) {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "latin1");
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return new Blob([new Uint8Array(b)], { type: "image/png" });
}

describe("dev LINE simulator", () => {
  it("offers only channels whose webhook points at one of the app's cities", () => {
    expect(city).toMatchObject({
      slug: tenant.slug,
      name: "シミュレーター市",
      tenantId: tenant.id,
      channelId: channel.channelId,
      liffId: channel.liffId,
    });
  });

  it("gives a new browser three residents in a cookie, keeps them, and adds more up to six", async () => {
    const first = await selectResident(deps, { citySlug: null, userId: null, cookieHeader: null });
    if (first.kind !== "redirect") throw new Error(`expected a redirect, got ${first.kind}`);
    const cookie = first.setCookie!.split(";")[0];
    // Path /dev also covers React Router's data requests (/dev/line.data).
    expect(first.setCookie).toMatch(/; Path=\/dev; .*HttpOnly; SameSite=Lax/);
    const ids = readResidents(cookie)[tenant.slug];
    expect(ids).toHaveLength(3);
    expect(first.location).toBe(`/dev/line?city=${tenant.slug}&user=${ids[0]}`);

    const ready = await selectResident(deps, { citySlug: tenant.slug, userId: ids[1], cookieHeader: cookie });
    expect(ready).toMatchObject({ kind: "ready", userId: ids[1], residents: ids });
    // Someone else's user id in the URL is not adopted: back to this browser's first resident.
    const foreign = await selectResident(deps, {
      citySlug: tenant.slug,
      userId: `U${"a".repeat(32)}`,
      cookieHeader: cookie,
    });
    expect(foreign).toMatchObject({
      kind: "redirect",
      location: `/dev/line?city=${tenant.slug}&user=${ids[0]}`,
      setCookie: null,
    });

    let header = cookie;
    for (let i = 0; i < 3; i++) {
      const added = await addResident(deps, city, header);
      if (!added.ok) throw new Error(added.message);
      header = added.setCookie.split(";")[0];
    }
    expect(readResidents(header)[tenant.slug]).toHaveLength(6);
    expect(await addResident(deps, city, header)).toMatchObject({ ok: false });
  });

  it("delivers follow, text and a preset location as signed webhooks the app stores, and echoes them", async () => {
    const userId = await ctl.newUser();
    expect(await act(deps, city, userId, { intent: "follow" })).toEqual({ ok: true });
    expect(await act(deps, city, userId, { intent: "text", text: "予約" })).toEqual({ ok: true });
    expect(await act(deps, city, userId, { intent: "location", place: "default" })).toEqual({ ok: true });
    expect(await act(deps, city, userId, { intent: "location", place: "nowhere" })).toMatchObject({ ok: false });
    const events = await stored(userId);
    expect(events.map((e) => e.type)).toEqual(["follow", "message", "message"]);
    expect(events[1].payload).toMatchObject({
      message: { type: "text", text: "予約" },
      replyToken: expect.any(String),
    });
    expect(events[2].payload).toMatchObject({
      message: { type: "location", title: "仮の地点（東京駅）", latitude: 35.6812, longitude: 139.7671 },
    });
    const v = await view(userId);
    expect(v.friendship).toBe("following");
    expect(texts(v.timeline.bubbles)).toEqual(["[友だち追加しました]", "予約", "<location>"]);
    expect(v.timeline.bubbles.map((b) => b.from)).toEqual(["system", "user", "user"]);
  });

  it("maps what the app sent: text with links, image, template and flex buttons; quick replies of the newest message only", async () => {
    const userId = await ctl.newUser();
    await push(userId, [
      {
        type: "text",
        text: `予約はこちら ${APP}/c/${tenant.slug}/reserve です。`,
        quickReply: { items: [{ type: "action", action: { type: "message", label: "古い", text: "古い" } }] },
      },
      {
        type: "image",
        originalContentUrl: "https://img.example/a.png",
        previewImageUrl: "https://img.example/a-small.png",
      },
      {
        type: "template",
        altText: "予約の確認",
        template: {
          type: "confirm",
          text: "予約しますか？",
          actions: [
            { type: "postback", label: "はい", data: "ok=1", displayText: "はい" },
            { type: "uri", label: "詳しく", uri: "https://example.org/more" },
          ],
        },
      },
    ]);
    await push(userId, [
      {
        type: "flex",
        altText: "予約が確定しました",
        contents: {
          type: "bubble",
          body: {
            type: "box",
            layout: "vertical",
            contents: [
              { type: "text", text: "予約確定" },
              { type: "text", text: "6月1日 10:00" },
            ],
          },
          footer: {
            type: "box",
            layout: "vertical",
            contents: [
              {
                type: "button",
                action: {
                  type: "uri",
                  label: "予約を確認",
                  uri: `https://liff.line.me/${channel.liffId}/reservation?channel=line`,
                },
              },
            ],
          },
        },
        quickReply: {
          items: [
            {
              type: "action",
              action: { type: "postback", label: "女性", data: "survey=gender&v=female", displayText: "女性" },
            },
            { type: "action", action: { type: "message", label: "予約", text: "予約" } },
            { type: "action", action: { type: "location", label: "位置情報" } },
            { type: "action", action: { type: "camera", label: "カメラ" } },
          ],
        },
      },
    ]);
    const { timeline } = await view(userId);
    const [text, image, template, flex] = timeline.bubbles.map((b) => b.body);
    expect(timeline.bubbles.every((b) => b.from === "app" && b.via === "プッシュ")).toBe(true);
    expect(text).toEqual({
      type: "text",
      segments: [
        { text: "予約はこちら " },
        { text: `${APP}/c/${tenant.slug}/reserve`, href: `${APP}/c/${tenant.slug}/reserve` },
        { text: " です。" },
      ],
    });
    expect(image).toEqual({ type: "image", src: "https://img.example/a-small.png" });
    expect(template).toMatchObject({
      type: "card",
      title: "予約の確認",
      lines: ["予約しますか？"],
      actions: [
        { kind: "send", label: "はい" },
        { kind: "open", href: "https://example.org/more", external: true },
      ],
    });
    expect(flex).toMatchObject({ type: "card", title: "予約が確定しました", lines: ["予約確定", "6月1日 10:00"] });
    const liffOpen = `/dev/line/open?${new URLSearchParams({ city: tenant.slug, user: userId, uri: `https://liff.line.me/${channel.liffId}/reservation?channel=line` })}`;
    expect(flex.type === "card" && flex.actions[0]).toEqual({
      kind: "open",
      label: "予約を確認",
      href: liffOpen,
      external: false,
    });
    expect(timeline.quickReplies.map((q) => [q.kind, q.label])).toEqual([
      ["send", "女性"],
      ["send", "予約"],
      ["location", "位置情報"],
      ["image", "カメラ"],
    ]);

    // A quick-reply tap is resolved from the sent record: the postback goes out, displayText is echoed.
    const femaleRef = timeline.quickReplies[0].kind === "send" ? timeline.quickReplies[0].ref : "";
    expect(await act(deps, city, userId, { intent: "tap", ref: femaleRef })).toEqual({ ok: true });
    expect((await stored(userId)).at(-1)!.payload).toMatchObject({
      type: "postback",
      postback: { data: "survey=gender&v=female" },
    });
    const after = await view(userId);
    expect(texts(after.timeline.bubbles).at(-1)).toBe("女性");
    expect(after.timeline.quickReplies).toEqual([]); // the resident acted: the buttons are gone
    // The template's postback button still works (cards keep their buttons); a made-up ref does not.
    const yes = template.type === "card" && template.actions[0].kind === "send" ? template.actions[0].ref : "";
    expect(await act(deps, city, userId, { intent: "tap", ref: yes })).toEqual({ ok: true });
    expect((await stored(userId)).at(-1)!.payload).toMatchObject({ postback: { data: "ok=1" } });
    expect(await act(deps, city, userId, { intent: "tap", ref: "sent-999999:0:q:0" })).toMatchObject({ ok: false });
  });

  it("draws the rich menu and hit-tests a tap on the menu the emulator holds (the last listed area wins)", async () => {
    const userId = await ctl.newUser();
    const { richMenuId } = await lineApi("/v2/bot/richmenu", {
      size: { width: 2500, height: 843 },
      selected: true,
      name: "テスト",
      chatBarText: "メニュー",
      areas: [
        {
          bounds: { x: 0, y: 0, width: 1250, height: 843 },
          action: {
            type: "uri",
            label: "予約する",
            uri: `https://liff.line.me/${channel.liffId}/reserve?channel=line`,
          },
        },
        {
          bounds: { x: 1250, y: 0, width: 1250, height: 843 },
          action: { type: "message", label: "受信設定", text: "受信設定" },
        },
        {
          bounds: { x: 2000, y: 0, width: 500, height: 400 },
          action: { type: "postback", label: "右上", data: "corner=1" },
        },
      ],
    });
    await lineApi(`/v2/bot/richmenu/${richMenuId}/content`, png(2500, 843), "image/png");
    await lineApi(`/v2/bot/user/${userId}/richmenu/${richMenuId}`, "");
    const menu = (await view(userId)).richMenu!;
    expect(menu).toMatchObject({
      richMenuId,
      chatBarText: "メニュー",
      selected: true,
      imageSrc: `/dev/line/richmenu/${richMenuId}`,
      width: 2500,
      height: 843,
    });
    expect(menu.areas.map((a) => [a.label, a.left, a.top, a.width, a.height, a.tap, a.button.kind])).toEqual([
      ["予約する", 0, 0, 50, 100, "625,421", "open"],
      ["受信設定", 50, 0, 50, 100, "1875,421", "send"],
      ["右上", 80, 0, 20, 47.45, "2250,200", "send"],
    ]);

    await act(deps, city, userId, { intent: "menu", richMenuId, x: 1300, y: 800 });
    await act(deps, city, userId, { intent: "menu", richMenuId, x: 2100, y: 100 });
    expect((await stored(userId)).map((e) => e.payload)).toMatchObject([
      { type: "message", message: { type: "text", text: "受信設定" } },
      { type: "postback", postback: { data: "corner=1" } },
    ]);
    expect(await act(deps, city, userId, { intent: "menu", richMenuId: "richmenu-old", x: 10, y: 10 })).toMatchObject({
      ok: false,
    });
    // A link area only opens a page; it is never a webhook event.
    expect(await act(deps, city, userId, { intent: "menu", richMenuId, x: 10, y: 10 })).toMatchObject({ ok: false });
  });

  it("opens LIFF and app links as the app page with an ID token the platform verifies for the resident", async () => {
    const userId = await ctl.newUser();
    const opened = await openLiff(deps, city, userId, `https://liff.line.me/${channel.liffId}/reserve?channel=line`);
    if (!opened.ok) throw new Error(opened.message);
    const url = new URL(opened.path, APP);
    expect(url.pathname).toBe(`/c/${tenant.slug}/reserve`);
    expect(url.searchParams.get("channel")).toBe("line");
    const verified = await fetch(`${emu.url}/oauth2/v2.1/verify`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        id_token: url.searchParams.get("liffMockToken")!,
        client_id: channel.loginChannelId,
      }),
    });
    expect(await verified.json()).toMatchObject({ sub: userId, aud: channel.loginChannelId });

    const app = await openLiff(deps, city, userId, `${APP}/c/${tenant.slug}/reservation`);
    expect(app.ok && new URL(app.path, APP).pathname).toBe(`/c/${tenant.slug}/reservation`);
    expect(await openLiff(deps, city, userId, "https://example.org/")).toMatchObject({ ok: false });
    expect(await openLiff(deps, city, userId, `${APP}//evil.example/x`)).toMatchObject({ ok: false });
  });

  it("shows a delivery the app did not accept in the chat", async () => {
    const userId = await ctl.newUser();
    await ctl.registerChannel({ ...channel, webhookUrl: "http://127.0.0.1:9/webhooks/line/down" });
    try {
      expect(await act(deps, city, userId, { intent: "follow" })).toEqual({ ok: true });
    } finally {
      await ctl.registerChannel({ ...channel, webhookUrl: receiver.url(tenant.id) });
    }
    const { timeline } = await view(userId);
    expect(texts(timeline.bubbles)).toEqual([
      "[友だち追加しました]",
      expect.stringMatching(/^\[アプリへのWebhook配信に失敗しました（COULD_NOT_CONNECT/),
    ]);
  });

  it("sends an image as a message event whose content the app can fetch, and answers a datetime picker", async () => {
    const userId = await ctl.newUser();
    const bytes = Buffer.from(await png(10, 10).arrayBuffer());
    expect(
      await act(deps, city, userId, { intent: "image", name: "road.png", contentType: "image/png", bytes }),
    ).toEqual({
      ok: true,
    });
    const [event] = await stored(userId);
    const id = (event!.payload as { message: { id: string; type: string } }).message;
    expect(id.type).toBe("image");
    const content = await fetch(`${emu.url}/v2/bot/message/${id.id}/content`, {
      headers: { authorization: `Bearer ${channel.channelAccessToken}` },
    });
    expect(content.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await content.arrayBuffer())).toEqual(bytes);
    expect(texts((await view(userId)).timeline.bubbles)).toContain("<other>");
    // Not an image, or too large: refused before anything is sent.
    expect(
      await act(deps, city, userId, { intent: "image", name: "a.pdf", contentType: "application/pdf", bytes }),
    ).toMatchObject({ ok: false });
    expect(
      await act(deps, city, userId, {
        intent: "image",
        name: "big.png",
        contentType: "image/png",
        bytes: Buffer.alloc(1024 * 1024 + 1),
      }),
    ).toMatchObject({ ok: false });

    await push(userId, [
      {
        type: "text",
        text: "日付を選んでください",
        quickReply: {
          items: [
            { type: "action", action: { type: "datetimepicker", label: "日付", data: "pick=day", mode: "date" } },
            { type: "action", action: { type: "cameraRoll", label: "写真を選ぶ" } },
            { type: "action", action: { type: "uri", label: "電話", uri: "tel:0736001111" } },
          ],
        },
      },
    ]);
    const { timeline } = await view(userId);
    expect(timeline.quickReplies.map((q) => q.kind)).toEqual(["datetime", "image", "unsupported"]);
    const picker = timeline.quickReplies[0]!;
    const ref = picker.kind === "datetime" ? picker.ref : "";
    expect(await act(deps, city, userId, { intent: "tap", ref, value: "24日" })).toMatchObject({ ok: false });
    expect(await act(deps, city, userId, { intent: "tap", ref, value: "2026-12-24" })).toEqual({ ok: true });
    expect((await stored(userId)).at(-1)!.payload).toMatchObject({
      type: "postback",
      postback: { data: "pick=day", params: { date: "2026-12-24" } },
    });
  });

  it("shows a Flex carousel as one card per bubble, each button tapping its own action", async () => {
    const userId = await ctl.newUser();
    const bubble = (title: string, data: string) => ({
      type: "bubble",
      body: { type: "box", layout: "vertical", contents: [{ type: "text", text: title }] },
      footer: {
        type: "box",
        layout: "vertical",
        contents: [{ type: "button", action: { type: "postback", label: "選ぶ", data } }],
      },
    });
    await push(userId, [
      {
        type: "flex",
        altText: "よくある質問",
        contents: { type: "carousel", contents: [bubble("住民票", "faq=a"), bubble("ごみ", "faq=b")] },
      },
    ]);
    const carousel = (await view(userId)).timeline.bubbles.at(-1)!.body;
    expect(carousel).toMatchObject({ type: "carousel", cards: [{ lines: ["住民票"] }, { lines: ["ごみ"] }] });
    const second = carousel.type === "carousel" ? carousel.cards[1]!.actions[0]! : null;
    expect(await act(deps, city, userId, { intent: "tap", ref: second?.kind === "send" ? second.ref : "" })).toEqual({
      ok: true,
    });
    expect((await stored(userId)).at(-1)!.payload).toMatchObject({ postback: { data: "faq=b" } });
  });
});
