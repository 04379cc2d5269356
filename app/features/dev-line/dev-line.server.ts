import { getDb, type Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { getFriend } from "~/features/line/friends.server";
import { getTenant } from "~/features/tenants/tenants.server";
import { env } from "~/lib/env.server";
import {
  datetimeEvent,
  IMAGE_MAX_BYTES,
  IMAGE_TYPES,
  isSafeAppPath,
  resolveLink,
  tapAction,
  textEvent,
  withLiffToken,
  type EventInput,
  type LineAction,
} from "./actions";
import { DEMO_ENGLISH_RESIDENT } from "./demo-resident";
import { echoesOf, friendshipOf, recordEcho } from "./echo.server";
import { EmulatorError, emulatorApi, type EmulatorApi } from "./emulator.server";
import { openPath, simulatorPath } from "./paths";
import { findPlace, placesFor } from "./places";
import { areaAt, areaBoxes, parseRichMenu, type AreaBox } from "./rich-menu";
import {
  MAX_RESIDENTS_PER_CITY,
  readResidents,
  residentLabel,
  residentsCookie,
  RESIDENTS_PER_CITY,
  type Residents,
} from "./residents.server";
import {
  buildTimeline,
  buttonFor,
  findAction,
  parseRef,
  type ActionButton,
  type LinkOpener,
  type Timeline,
} from "./timeline.server";

/**
 * Use-cases of the LINE simulator (/dev/line): which cities and residents there are, the chat of one
 * resident, and what the resident does (follow, block, type, share a place, tap a quick reply, a card
 * button or the rich menu). The emulator delivers each act to the app as a signed webhook, exactly as
 * LINE would, and records the app's replies and pushes, which the page then shows.
 */

export type DevLineDeps = { api: EmulatorApi; db: Db; appOrigin: string };

/** null unless DEV_TOOLS=1: the routes answer 404, so the simulator cannot exist in production. */
export function devLineDeps(): DevLineDeps | null {
  const e = env();
  if (e.DEV_TOOLS !== "1") return null;
  // The control API is served next to the Messaging API, so LINE_API_BASE is the emulator's URL.
  return { api: emulatorApi(e.LINE_API_BASE), db: getDb(), appOrigin: e.APP_ORIGIN };
}

export type SimCity = { slug: string; name: string; tenantId: string; channelId: string; liffId: string | null };

const WEBHOOK_PATH = /\/webhooks\/line\/([0-9a-f-]{36})$/i;

/** Channels registered with the emulator whose webhook points at a city of this app. */
export async function listCities({ api, db }: DevLineDeps): Promise<SimCity[]> {
  const cities: SimCity[] = [];
  for (const c of await api.channels()) {
    const tenantId = c.webhookUrl ? WEBHOOK_PATH.exec(new URL(c.webhookUrl).pathname)?.[1] : undefined;
    const tenant = tenantId ? await getTenant(db, tenantId) : null;
    if (tenant)
      cities.push({
        slug: tenant.slug,
        name: tenant.name,
        tenantId: tenant.id,
        channelId: c.channelId,
        liffId: c.liffId ?? null,
      });
  }
  return cities;
}

export type Selection =
  | { kind: "unavailable"; message: string }
  | { kind: "no-cities" }
  | { kind: "redirect"; location: string; setCookie: string | null }
  | { kind: "ready"; cities: SimCity[]; city: SimCity; residents: string[]; userId: string };

/**
 * Picks the city and resident from the query, creating the city's first residents on the first visit.
 * Anything missing or unknown redirects to a complete URL, so every form on the page posts to one.
 */
export async function selectResident(
  deps: DevLineDeps,
  q: { citySlug: string | null; userId: string | null; cookieHeader: string | null },
): Promise<Selection> {
  let cities: SimCity[];
  try {
    cities = await listCities(deps);
  } catch (e) {
    if (e instanceof EmulatorError) return { kind: "unavailable", message: e.message };
    throw e;
  }
  if (cities.length === 0) return { kind: "no-cities" };
  const city = cities.find((c) => c.slug === q.citySlug) ?? cities[0];
  const all = readResidents(q.cookieHeader);
  let setCookie: string | null = null;
  if (!all[city.slug]?.length) {
    const ids: string[] = [];
    // The last of them has LINE set to English, so the demo shows a friend greeted in English (issue 15).
    for (let i = 0; i < RESIDENTS_PER_CITY; i++)
      ids.push(await deps.api.newUser(i === RESIDENTS_PER_CITY - 1 ? "en" : undefined));
    // The demo's English-speaking friend with a LINE-linked booking (seeded): shown when the city has him.
    const demo = await withTenant(deps.db, city.tenantId, (tx) =>
      getFriend(tx, city.tenantId, DEMO_ENGLISH_RESIDENT.lineUserId),
    );
    if (demo) ids.push(DEMO_ENGLISH_RESIDENT.lineUserId);
    setCookie = residentsCookie({ ...all, [city.slug]: ids }, deps.appOrigin.startsWith("https://"));
    all[city.slug] = ids;
  }
  const residents = all[city.slug];
  const userId = q.userId && residents.includes(q.userId) ? q.userId : null;
  if (!userId || setCookie || city.slug !== q.citySlug) {
    return { kind: "redirect", location: simulatorPath(city.slug, userId ?? residents[0]), setCookie };
  }
  return { kind: "ready", cities, city, residents, userId };
}

/** One more resident for the city (a fresh LINE account that has never met the city). */
export async function addResident(deps: DevLineDeps, city: SimCity, cookieHeader: string | null) {
  const all: Residents = readResidents(cookieHeader);
  const current = all[city.slug] ?? [];
  if (current.length >= MAX_RESIDENTS_PER_CITY)
    return { ok: false as const, message: `住民は1つの市区町村につき${MAX_RESIDENTS_PER_CITY}人までです。` };
  const userId = await deps.api.newUser();
  all[city.slug] = [...current, userId];
  return { ok: true as const, userId, setCookie: residentsCookie(all, deps.appOrigin.startsWith("https://")) };
}

const labelOf = (userId: string, index: number) =>
  userId === DEMO_ENGLISH_RESIDENT.lineUserId ? DEMO_ENGLISH_RESIDENT.label : residentLabel(index);

export type AreaView = AreaBox & { button: ActionButton };
export type RichMenuView = {
  richMenuId: string;
  chatBarText: string;
  selected: boolean;
  imageSrc: string | null;
  width: number;
  height: number;
  areas: AreaView[];
};

export type SimulatorView = {
  cities: { slug: string; name: string }[];
  city: { slug: string; name: string };
  residents: { userId: string; label: string }[];
  userId: string;
  userLabel: string;
  friendship: "following" | "blocked" | "unknown";
  timeline: Timeline;
  richMenu: RichMenuView | null;
  places: { id: string; title: string }[];
  canAddResident: boolean;
};

function linkOpener(deps: DevLineDeps, city: SimCity, userId: string): LinkOpener {
  return (uri) => {
    const target = resolveLink(uri, { appOrigin: deps.appOrigin, citySlug: city.slug, liffId: city.liffId });
    if (target.kind === "app") return { href: openPath(city.slug, userId, uri), external: false };
    if (target.kind === "external") return { href: target.href, external: true };
    return null;
  };
}

export async function loadSimulator(
  deps: DevLineDeps,
  sel: Extract<Selection, { kind: "ready" }>,
): Promise<SimulatorView> {
  const { city, userId } = sel;
  const [records, menu] = await Promise.all([
    deps.api.sent(city.channelId, userId),
    deps.api.richMenu(city.channelId, userId),
  ]);
  const echoes = echoesOf(city.channelId, userId);
  const open = linkOpener(deps, city, userId);
  const def = parseRichMenu(menu.richMenu);
  const index = sel.residents.indexOf(userId);
  return {
    cities: sel.cities.map((c) => ({ slug: c.slug, name: c.name })),
    city: { slug: city.slug, name: city.name },
    residents: sel.residents.map((id, i) => ({ userId: id, label: labelOf(id, i) })),
    userId,
    userLabel: labelOf(sel.userId, index),
    friendship: friendshipOf(echoes),
    timeline: buildTimeline(records, echoes, open),
    richMenu: def && {
      richMenuId: def.richMenuId,
      chatBarText: def.chatBarText,
      selected: def.selected,
      imageSrc: menu.imageUrl ? `/dev/line/richmenu/${encodeURIComponent(def.richMenuId)}` : null,
      width: def.size.width,
      height: def.size.height,
      areas: areaBoxes(def).map((box) => ({ ...box, button: buttonFor(box.action, "", open) })),
    },
    places: placesFor(city.slug).map((p) => ({ id: p.id, title: p.title })),
    canAddResident: sel.residents.length < MAX_RESIDENTS_PER_CITY,
  };
}

export type Act =
  | { intent: "follow" }
  | { intent: "unfollow" }
  | { intent: "text"; text: string }
  | { intent: "location"; place: string }
  | { intent: "tap"; ref: string; value?: string }
  | { intent: "image"; name: string; contentType: string; bytes: Buffer }
  | { intent: "menu"; richMenuId: string; x: number; y: number };

export type ActResult = { ok: true } | { ok: false; message: string };

/** Delivers the events; a delivery the app did not accept shows up in the chat, as LINE's console would. */
async function deliver(deps: DevLineDeps, city: SimCity, userId: string, events: EventInput[]): Promise<ActResult> {
  const r = await deps.api.events(city.channelId, userId, events);
  if (r.status !== 200) {
    recordEcho(city.channelId, userId, {
      kind: "error",
      text: `アプリへのWebhook配信に失敗しました（${r.reason}${r.detail ? `: ${r.detail}` : ""}）。`,
    });
  }
  return { ok: true };
}

/** A tap on an action the app sent (quick reply, card button, rich-menu area). */
async function tap(
  deps: DevLineDeps,
  city: SimCity,
  userId: string,
  action: LineAction | null,
  value?: string,
): Promise<ActResult> {
  if (!action) return { ok: false, message: "このボタンはもう使えません。画面を更新してください。" };
  const outcome = tapAction(action);
  if (outcome.kind === "datetime") {
    const event = datetimeEvent(action, value ?? "");
    if (!event) return { ok: false, message: "日付・時刻を選んでから押してください。" };
    recordEcho(city.channelId, userId, { kind: "postback", text: value ?? "", detail: action.data ?? "" });
    return deliver(deps, city, userId, [event]);
  }
  if (outcome.kind !== "events") {
    // Links and the location picker are plain links on the page; these reach here only from a stale page.
    return {
      ok: false,
      message:
        outcome.kind === "unsupported"
          ? `「${outcome.type}」アクションはシミュレーターでは使えません。`
          : "このボタンはリンクとして開いてください。",
    };
  }
  const first = outcome.events[0];
  if (first.type === "postback")
    recordEcho(city.channelId, userId, { kind: "postback", text: outcome.echo ?? "", detail: first.postback.data });
  else recordEcho(city.channelId, userId, { kind: "text", text: outcome.echo ?? "" });
  return deliver(deps, city, userId, outcome.events);
}

export async function act(deps: DevLineDeps, city: SimCity, userId: string, a: Act): Promise<ActResult> {
  const { channelId } = city;
  try {
    switch (a.intent) {
      case "follow":
      case "unfollow":
        recordEcho(channelId, userId, { kind: a.intent, text: "" });
        return await deliver(deps, city, userId, [{ type: a.intent }]);
      case "text":
        recordEcho(channelId, userId, { kind: "text", text: a.text });
        return await deliver(deps, city, userId, [textEvent(a.text)]);
      case "location": {
        const place = findPlace(city.slug, a.place);
        if (!place) return { ok: false, message: "送る場所を選んでください。" };
        recordEcho(channelId, userId, { kind: "location", text: place.title, detail: place.address });
        const { id: _id, ...message } = place;
        return await deliver(deps, city, userId, [{ type: "message", message: { type: "location", ...message } }]);
      }
      case "image": {
        if (!IMAGE_TYPES.includes(a.contentType))
          return { ok: false, message: "画像（JPEG・PNG・GIF・WebP）を選んでください。" };
        if (a.bytes.length === 0 || a.bytes.length > IMAGE_MAX_BYTES)
          return { ok: false, message: "1MB以下の画像を選んでください。" };
        recordEcho(channelId, userId, { kind: "image", text: a.name || "画像" });
        const message = {
          type: "image" as const,
          contentType: a.contentType,
          contentBase64: a.bytes.toString("base64"),
        };
        return await deliver(deps, city, userId, [{ type: "message", message }]);
      }
      case "tap": {
        const ref = parseRef(a.ref);
        const records = ref ? await deps.api.sent(channelId, userId) : [];
        return await tap(deps, city, userId, ref && findAction(records, ref), a.value);
      }
      case "menu": {
        const menu = await deps.api.richMenu(channelId, userId);
        const def = parseRichMenu(menu.richMenu);
        if (!def || def.richMenuId !== a.richMenuId)
          return { ok: false, message: "リッチメニューが切り替わりました。もう一度押してください。" };
        const hit = areaAt(def, a.x, a.y);
        return await tap(deps, city, userId, hit < 0 ? null : def.areas[hit].action);
      }
    }
  } catch (e) {
    if (e instanceof EmulatorError)
      return { ok: false, message: `LINEエミュレーターが操作を受け付けませんでした：${e.message}` };
    throw e;
  }
}

/** The LIFF view: an ID token for the resident, and the app path it opens with. */
export async function openLiff(
  deps: DevLineDeps,
  city: SimCity,
  userId: string,
  uri: string,
): Promise<{ ok: true; path: string } | { ok: false; message: string }> {
  const target = resolveLink(uri, { appOrigin: deps.appOrigin, citySlug: city.slug, liffId: city.liffId });
  if (target.kind !== "app" || !isSafeAppPath(target.path))
    return { ok: false, message: "このリンクはアプリのページではありません。" };
  try {
    const token = await deps.api.idToken(city.channelId, userId);
    return { ok: true, path: withLiffToken(target.path, token) };
  } catch (e) {
    if (e instanceof EmulatorError) return { ok: false, message: `IDトークンを発行できませんでした：${e.message}` };
    throw e;
  }
}
