import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { auditLog, lineRichMenus, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { renderRichMenuPng } from "~/features/line-richmenu/image.server";
import { publishRichMenu, switchRichMenu, type RichMenuDeps } from "~/features/line-richmenu/publish.server";
import { richMenuPage, saveRichMenuTiles, uploadRichMenuImage } from "~/features/line-richmenu/richmenu-admin.server";
import { defaultTiles, fieldName, tilesToForm } from "~/features/line-richmenu/tiles";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { emulatorControl, fakeChannel, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { decodePng, fakeImage } from "./line-richmenu-png";

/**
 * Publishing and switching against the LINE emulator, with the real database: what residents would
 * see is read back from the emulator (the default menu, its areas and its image).
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 9);
let emu: LineEmulator;
type City = { tenant: Tenant; channel: PlainChannel; actor: { staffUserId: string } };
let a: City;
let b: City;
let bBefore: { rows: unknown[]; live: string | null; menus: string[] };
const user = `U${"a".repeat(32)}`;

const config = (over: Partial<LineApiConfig> = {}): LineApiConfig => ({
  apiBase: emu.url,
  dataApiBase: emu.url,
  limiter: null,
  retry: { baseDelayMs: 5, maxDelayMs: 20 },
  ...over,
});
const deps = (over: Partial<LineApiConfig> = {}): RichMenuDeps => ({
  db: dbs.appDb,
  key,
  appOrigin: "https://madoguchi.example.jp",
  config: config(over),
});

async function line<T>(city: City, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${emu.url}${path}`, {
    headers: { authorization: `Bearer ${city.channel.channelAccessToken}` },
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}
const defaultMenuId = async (city: City) =>
  (await line<{ richMenuId: string }>(city, "/v2/bot/user/all/richmenu")).body?.richMenuId ?? null;
const menuIds = async (city: City) =>
  (await line<{ richmenus: { richMenuId: string }[] }>(city, "/v2/bot/richmenu/list")).body.richmenus
    .map((m) => m.richMenuId)
    .sort();
const rows = (city: City) => dbs.ownerDb.select().from(lineRichMenus).where(eq(lineRichMenus.tenantId, city.tenant.id));
const row = async (city: City, kind: "default" | "disaster") => (await rows(city)).find((r) => r.kind === kind)!;
const audits = (city: City, action: string) =>
  dbs.ownerDb
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, city.tenant.id), eq(auditLog.action, action)));

async function makeCity(label: string): Promise<City> {
  const tenant = await makeTenant(dbs.appDb);
  const channel = fakeChannel(`richmenu-${label}-${Date.now()}`);
  await makeLineChannel(dbs.appDb, key, tenant.id, { ...channel, liffId: "" });
  await emulatorControl(emu.url).registerChannel(channel);
  const admin = await makeStaff(dbs.appDb, { tenantId: tenant.id, role: "admin" });
  return { tenant, channel, actor: { staffUserId: admin.user.id } };
}

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  a = await makeCity("a");
  b = await makeCity("b");
  // City B has its own published menu from the start: nothing done for A may touch it.
  expect(await publishRichMenu(deps(), { tenant: b.tenant, kind: "default", actor: b.actor })).toMatchObject({
    ok: true,
  });
  bBefore = { rows: await rows(b), live: await defaultMenuId(b), menus: await menuIds(b) };
});
afterAll(async () => {
  await emu.close();
  await dbs.close();
});

describe("publishing a city's rich menu", () => {
  it("creates the menu on LINE with 6 areas tiling the image, uploads the drawn PNG and makes it the default", async () => {
    const result = await publishRichMenu(deps(), { tenant: a.tenant, kind: "default", actor: a.actor });
    expect(result).toEqual({ ok: true, message: expect.stringContaining("反映しました") });
    const stored = await row(a, "default");
    expect(stored).toMatchObject({ active: true, publishError: null, imageSource: "generated" });
    expect(stored.lineRichMenuId).toMatch(/^richmenu-/);
    expect(await defaultMenuId(a)).toBe(stored.lineRichMenuId);

    const seen = (await (
      await fetch(`${emu.url}/__emulator/users/${user}/richmenu?channelId=${a.channel.channelId}`)
    ).json()) as {
      richMenuId: string;
      imageUrl: string;
      richMenu: {
        size: { width: number; height: number };
        chatBarText: string;
        areas: {
          bounds: { x: number; y: number; width: number; height: number };
          action: { type: string; uri?: string };
        }[];
      };
    };
    expect(seen.richMenuId).toBe(stored.lineRichMenuId);
    expect(seen.richMenu.size).toEqual({ width: 2500, height: 1686 });
    expect(seen.richMenu.chatBarText).toBe("メニュー");
    const areas = seen.richMenu.areas;
    expect(areas).toHaveLength(6);
    // Every pixel of the image belongs to exactly one area.
    expect(areas.reduce((s, x) => s + x.bounds.width * x.bounds.height, 0)).toBe(2500 * 1686);
    for (const [i, x] of areas.entries())
      for (const y of areas.slice(i + 1)) {
        const overlap =
          x.bounds.x < y.bounds.x + y.bounds.width &&
          y.bounds.x < x.bounds.x + x.bounds.width &&
          x.bounds.y < y.bounds.y + y.bounds.height &&
          y.bounds.y < x.bounds.y + x.bounds.height;
        expect(overlap).toBe(false);
      }
    // No LIFF id for this city: the page opens directly, marked as coming from LINE.
    expect(areas[0].action).toMatchObject({
      type: "uri",
      uri: `https://madoguchi.example.jp/c/${a.tenant.slug}/reserve?channel=line`,
    });
    const image = Buffer.from(await (await fetch(`${emu.url}${seen.imageUrl}`)).arrayBuffer());
    expect([decodePng(image).width, decodePng(image).height]).toEqual([2500, 1686]);

    const [entry] = await audits(a, "line.richmenu.publish");
    expect(entry).toMatchObject({
      actorId: a.actor.staffUserId,
      targetId: stored.id,
      detail: { kind: "default", ok: true, madeDefault: true },
    });
  });

  it("publishing again after an edit replaces the default and deletes the previous menu on LINE", async () => {
    const before = (await row(a, "default")).lineRichMenuId!;
    const form = tilesToForm(defaultTiles(a.tenant.slug, "default"));
    form[fieldName(0, "label")] = "ワクチン予約";
    expect(await saveRichMenuTiles(dbs.appDb, { tenant: a.tenant, kind: "default", form, actor: a.actor })).toEqual({
      ok: true,
    });
    expect((await richMenuPage(dbs.appDb, a.tenant)).menus.default.unpublishedChanges).toBe(true);
    expect(await publishRichMenu(deps(), { tenant: a.tenant, kind: "default", actor: a.actor })).toMatchObject({
      ok: true,
    });
    const after = (await row(a, "default")).lineRichMenuId!;
    expect(after).not.toBe(before);
    expect(await defaultMenuId(a)).toBe(after);
    expect((await line(a, `/v2/bot/richmenu/${before}`)).status).toBe(404);
    expect((await richMenuPage(dbs.appDb, a.tenant)).menus.default.unpublishedChanges).toBe(false);
    expect(await audits(a, "line.richmenu.save")).toHaveLength(1);
  });

  it("a failure midway records the error and leaves the old default in place, with no half-built menu", async () => {
    const liveBefore = await defaultMenuId(a);
    const menusBefore = await menuIds(a);
    // The image upload host does not answer: create succeeds, upload fails.
    const result = await publishRichMenu(deps({ dataApiBase: "http://127.0.0.1:9" }), {
      tenant: a.tenant,
      kind: "default",
      actor: a.actor,
    });
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining("これまでのメニューがそのまま表示されています"),
    });
    expect(await defaultMenuId(a)).toBe(liveBefore);
    expect(await menuIds(a)).toEqual(menusBefore);
    expect((await row(a, "default")).publishError).toContain("LINEのサーバーに接続できませんでした");
    expect((await row(a, "default")).lineRichMenuId).toBe(liveBefore);
  });

  it("two simultaneous publishes: one goes through, the other is told to wait", async () => {
    const menusBefore = (await menuIds(a)).length;
    const results = await Promise.all(
      [1, 2].map(() => publishRichMenu(deps(), { tenant: a.tenant, kind: "default", actor: a.actor })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)!.message).toContain("ほかの職員");
    expect(await menuIds(a)).toHaveLength(menusBefore);
  });
});

describe("the disaster switch", () => {
  it("publishing the disaster menu in calm times prepares it without showing it", async () => {
    const live = await defaultMenuId(a);
    expect(await publishRichMenu(deps(), { tenant: a.tenant, kind: "disaster", actor: a.actor })).toEqual({
      ok: true,
      message: expect.stringContaining("まだ表示はされません"),
    });
    const disaster = await row(a, "disaster");
    expect(disaster.lineRichMenuId).toMatch(/^richmenu-/);
    expect(disaster.active).toBe(false);
    expect(await defaultMenuId(a)).toBe(live);
  });

  it("one click makes the disaster menu the default, and one click brings the everyday menu back", async () => {
    const disasterId = (await row(a, "disaster")).lineRichMenuId;
    const defaultId = (await row(a, "default")).lineRichMenuId;
    expect(await switchRichMenu(deps(), { tenant: a.tenant, to: "disaster", actor: a.actor })).toEqual({
      ok: true,
      message: expect.stringContaining("災害用メニューに切り替えました"),
    });
    expect(await defaultMenuId(a)).toBe(disasterId);
    expect(Object.fromEntries((await rows(a)).map((r) => [r.kind, r.active]))).toEqual({
      default: false,
      disaster: true,
    });
    const seen = (await (
      await fetch(`${emu.url}/__emulator/users/${user}/richmenu?channelId=${a.channel.channelId}`)
    ).json()) as { richMenu: { chatBarText: string } };
    expect(seen.richMenu.chatBarText).toBe("災害時メニュー");

    expect(await switchRichMenu(deps(), { tenant: a.tenant, to: "default", actor: a.actor })).toEqual({
      ok: true,
      message: "通常メニューに戻しました。",
    });
    expect(await defaultMenuId(a)).toBe(defaultId);
    expect(Object.fromEntries((await rows(a)).map((r) => [r.kind, r.active]))).toEqual({
      default: true,
      disaster: false,
    });
    expect((await audits(a, "line.richmenu.switch")).map((e) => e.detail)).toEqual([
      { to: "disaster", ok: true, published: false },
      { to: "default", ok: true, published: false },
    ]);
  });

  it("switching to a disaster menu that was never published publishes it first", async () => {
    const c = await makeCity("c");
    expect(await publishRichMenu(deps(), { tenant: c.tenant, kind: "default", actor: c.actor })).toMatchObject({
      ok: true,
    });
    expect(await switchRichMenu(deps(), { tenant: c.tenant, to: "disaster", actor: c.actor })).toMatchObject({
      ok: true,
    });
    const disaster = await row(c, "disaster");
    expect(disaster).toMatchObject({ active: true, publishError: null });
    expect(await defaultMenuId(c)).toBe(disaster.lineRichMenuId);
    expect((await audits(c, "line.richmenu.switch"))[0]!.detail).toEqual({ to: "disaster", ok: true, published: true });
  });

  it("publishing the everyday menu while the disaster menu is on show does not take it down", async () => {
    const c = await makeCity("d");
    await switchRichMenu(deps(), { tenant: c.tenant, to: "disaster", actor: c.actor });
    const live = await defaultMenuId(c);
    expect(await publishRichMenu(deps(), { tenant: c.tenant, kind: "default", actor: c.actor })).toEqual({
      ok: true,
      message: expect.stringContaining("災害用メニューを表示中"),
    });
    expect(await defaultMenuId(c)).toBe(live);
  });
});

describe("uploaded images", () => {
  it("a GIF or an oversized file is refused: nothing stored, nothing published", async () => {
    const live = await defaultMenuId(a);
    const menusBefore = await menuIds(a);
    const gif = await uploadRichMenuImage(dbs.appDb, {
      tenant: a.tenant,
      kind: "default",
      data: fakeImage("gif", 2500, 1686),
      actor: a.actor,
    });
    expect(gif).toEqual({ ok: false, message: "GIFの画像は使えません。PNGまたはJPEG形式の画像を選んでください。" });
    const big = await uploadRichMenuImage(dbs.appDb, {
      tenant: a.tenant,
      kind: "default",
      data: fakeImage("png", 2500, 1686, 1024 * 1024 + 10),
      actor: a.actor,
    });
    expect(big).toEqual({ ok: false, message: expect.stringContaining("1MB以下") });
    expect(await row(a, "default")).toMatchObject({ imageSource: "generated", uploadedImage: null });
    expect(await defaultMenuId(a)).toBe(live);
    expect(await menuIds(a)).toEqual(menusBefore);
    expect((await audits(a, "line.richmenu.upload")).map((e) => e.detail.ok)).toEqual([false, false]);
  });

  it("an uploaded PNG is the image LINE receives", async () => {
    const own = await renderRichMenuPng(defaultTiles(a.tenant.slug, "disaster"), "disaster");
    expect(
      await uploadRichMenuImage(dbs.appDb, { tenant: a.tenant, kind: "default", data: own, actor: a.actor }),
    ).toEqual({ ok: true });
    expect(await publishRichMenu(deps(), { tenant: a.tenant, kind: "default", actor: a.actor })).toMatchObject({
      ok: true,
    });
    const id = await defaultMenuId(a);
    const res = await fetch(`${emu.url}/v2/bot/richmenu/${id}/content`, {
      headers: { authorization: `Bearer ${a.channel.channelAccessToken}` },
    });
    expect(Buffer.from(await res.arrayBuffer()).equals(own)).toBe(true);
  });
});

describe("isolation", () => {
  it("another city's menu is never touched", async () => {
    expect(bBefore.live).toBe((await row(b, "default")).lineRichMenuId);
    expect(await defaultMenuId(b)).toBe(bBefore.live);
    expect(await menuIds(b)).toEqual(bBefore.menus);
    expect(await rows(b)).toEqual(bBefore.rows);
    // RLS: inside A's transaction, B's rows do not exist.
    const seen = await withTenant(dbs.appDb, a.tenant.id, (tx) =>
      tx.select({ tenantId: lineRichMenus.tenantId }).from(lineRichMenus),
    );
    expect(new Set(seen.map((r) => r.tenantId))).toEqual(new Set([a.tenant.id]));
  });

  it("a city without LINE settings gets a clear message and nothing is sent", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const admin = await makeStaff(dbs.appDb, { tenantId: tenant.id, role: "admin" });
    expect(await publishRichMenu(deps(), { tenant, kind: "default", actor: { staffUserId: admin.user.id } })).toEqual({
      ok: false,
      message: expect.stringContaining("LINEの設定がまだ保存されていません"),
    });
  });
});
