import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "#db/client.server";
import { reservations, slots, type Tenant } from "#db/schema/index";
import { langCookieHeader } from "~/lib/i18n/preferences.server";
import { handleBookingApi, type BookingApiAnswer } from "~/features/reservations/booking-api.server";
import { flowCookie, startFlow, type FlowState } from "~/features/reservations/resident-flow.server";
import { enterWaitingRoom, ADMISSION_TTL_MS } from "~/features/reservations/waiting-room.server";
import { setBookingConcurrency } from "~/features/reservations/waiting-room-settings.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import * as confirmPage from "~/routes/c.$city.reserve.confirm";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Issue 14.7, ADR 036: the booking submit has two doors — the JSON endpoint (the fast path, with
 * JavaScript) and the confirm page's action (without) — and one guard. The same inputs sent through
 * each door must end the same way: booked, full, refused by a rule, cross-site, closed city, expired
 * flow, bad input; and both keep the waiting room's admission alive.
 */
const dbs = testDbs();
const contact = { name: "和歌山 一郎", phone: "09011112222", email: "doors@example.jp" };
let city: Tenant;
let suspended: Tenant;
let roomCity: Tenant;
const serviceOf = new Map<string, string>();
const venueOf = new Map<string, string>();
let ticket = 3_600_000_000;
let redis: Redis;

async function liveCity(name: string, status: Tenant["status"] = "active") {
  const t = await makeTenant(dbs.appDb, { name, status });
  serviceOf.set(t.id, (await makeService(dbs.appDb, t.id, { doses: 1, bookingWindowDays: 60 })).id);
  venueOf.set(t.id, (await makeVenue(dbs.appDb, t.id)).id);
  return t;
}

async function resident(t: Tenant = city): Promise<Omit<FlowState, "exp">> {
  const ticketNumber = String(++ticket);
  await makeTicketHolders(dbs.appDb, t.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
  const r = await startFlow(dbs.appDb, {
    tenantId: t.id,
    ticketNumber,
    birthDate: "1950-04-01",
    channel: "web",
    ip: `10.8.0.${ticket % 250}`,
  });
  if (!r.ok) throw new Error(r.message);
  return { ...r.state, contact };
}

async function slot(t: Tenant = city, opts: { webCapacity?: number; inDays?: number } = {}) {
  return makeSlot(dbs.appDb, t.id, {
    venueId: venueOf.get(t.id)!,
    serviceId: serviceOf.get(t.id)!,
    startsAt: new Date(Date.now() + (opts.inDays ?? 5) * 24 * 3600_000),
    webCapacity: opts.webCapacity ?? 3,
    phoneCapacity: 0,
  });
}

/** What a resident submits: the same for both doors. */
type Submit = { slug: string; cookie?: string; origin?: string | null; slot: string; idempotencyKey?: string };
/** How it ended, as a person sees it: booked (and where to), or the refusal and where to go next. */
type Ending = { answer: string; goTo?: string };

function headersOf(s: Submit, contentType: string) {
  const headers = new Headers({ "content-type": contentType });
  if (s.cookie) headers.set("cookie", s.cookie);
  if (s.origin !== null) headers.set("origin", s.origin ?? env().APP_ORIGIN);
  return headers;
}

async function throughApi(s: Submit): Promise<Ending> {
  const r = await handleBookingApi({
    citySlug: s.slug,
    method: "POST",
    pathname: `/c/${s.slug}/reserve/book`,
    selfOrigin: "http://127.0.0.1:1",
    headers: headersOf(s, "application/json"),
    rawBody: Buffer.from(JSON.stringify({ slot: s.slot, idempotencyKey: s.idempotencyKey ?? crypto.randomUUID() })),
    // What server/fast-paths.ts reads from the socket (ADR 026); the page door's route context has none here.
    clientAddress: null,
  });
  const body = JSON.parse(r.body) as BookingApiAnswer;
  if (body.ok) return { answer: "booked", goTo: body.redirectTo.replace(/[^/]+$/, "<code>") };
  return body.redirectTo ? { answer: body.reason, goTo: body.redirectTo } : { answer: body.reason };
}

async function throughPage(s: Submit): Promise<Ending> {
  const request = new Request(`http://127.0.0.1:1/c/${s.slug}/reserve/confirm?slot=${s.slot}`, {
    method: "POST",
    headers: headersOf(s, "application/x-www-form-urlencoded"),
    body: new URLSearchParams({ slot: s.slot, idempotencyKey: s.idempotencyKey ?? crypto.randomUUID() }),
  });
  const args = { request, params: { city: s.slug }, context: new RouterContextProvider(), unstable_pattern: "" };
  try {
    const r = await confirmPage.action(args as never);
    if (r instanceof Response) {
      const to = r.headers.get("location")!;
      return to.includes("/reserve/done/")
        ? { answer: "booked", goTo: to.replace(/[^/]+$/, "<code>") }
        : { answer: "expired", goTo: to };
    }
    return { answer: r.reason };
  } catch (e) {
    // What the page throws for the error boundary (a data() answer with its status).
    const thrown = e as { data?: { reason?: string } };
    if (thrown.data?.reason) return { answer: thrown.data.reason };
    throw e;
  }
}

const doors = { api: throughApi, page: throughPage } as const;
const seatsOf = async (slotId: string) =>
  (await dbs.ownerDb.select().from(slots).where(eq(slots.id, slotId)))[0]!.webBooked;
const cookieOf = (t: Tenant, state: Omit<FlowState, "exp">) => flowCookie(t, state).split(";")[0]!;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!);
  city = await liveCity("二つの扉市");
  suspended = await liveCity("扉停止市", "suspended");
  roomCity = await liveCity("扉待合市");
  const admin = await makeStaff(dbs.appDb, { tenantId: roomCity.id, role: "admin" });
  await setBookingConcurrency(dbs.appDb, roomCity, 5, { staffUserId: admin.user.id });
  roomCity = { ...roomCity, bookingConcurrency: 5 };
});
afterAll(async () => {
  const stale = await redis.keys(`${process.env.REDIS_PREFIX}:wr:{${roomCity.id}}:*`);
  if (stale.length) await redis.del(...stale);
  redis.disconnect();
  await closeRedis();
  await closeDb();
  await dbs.close();
});

describe("both booking doors, one guard", () => {
  it("store the language the resident chose on the pages (the lang cookie), Japanese without one", async () => {
    const s = await slot(city, { webCapacity: 6 });
    const lang = langCookieHeader("en").split(";")[0]!;
    const bogus = langCookieHeader("xx").split(";")[0]!;
    for (const door of Object.values(doors)) {
      for (const [extra, expected] of [
        [lang, "en"],
        [bogus, "ja"],
        ["", "ja"],
      ] as const) {
        const state = await resident();
        const cookie = [cookieOf(city, state), extra].filter(Boolean).join("; ");
        expect((await door({ slug: city.slug, cookie, slot: s.id })).answer).toBe("booked");
        const [row] = await dbs.ownerDb
          .select({ language: reservations.language })
          .from(reservations)
          .where(eq(reservations.ticketHolderId, state.ticketHolderId));
        expect(row!.language).toBe(expected);
      }
    }
  });

  it("books through either door, to the same done page", async () => {
    const s = await slot();
    for (const door of Object.values(doors)) {
      expect(await door({ slug: city.slug, cookie: cookieOf(city, await resident()), slot: s.id })).toEqual({
        answer: "booked",
        goTo: `/c/${city.slug}/reserve/done/<code>`,
      });
    }
    expect(await seatsOf(s.id)).toBe(2);
  });

  it("a full slot, a slot outside the booking window and bad input are refused alike, writing nothing", async () => {
    const full = await slot(city, { webCapacity: 1 });
    expect(
      (await throughApi({ slug: city.slug, cookie: cookieOf(city, await resident()), slot: full.id })).answer,
    ).toBe("booked");
    const far = await slot(city, { inDays: 90 });
    for (const door of Object.values(doors)) {
      const cookie = cookieOf(city, await resident());
      expect(await door({ slug: city.slug, cookie, slot: full.id })).toEqual({ answer: "full" });
      expect(await door({ slug: city.slug, cookie, slot: far.id })).toEqual({ answer: "outside-window" });
      expect(await door({ slug: city.slug, cookie, slot: far.id, idempotencyKey: "not-a-uuid" })).toEqual({
        answer: "invalid",
      });
    }
    expect(await seatsOf(full.id)).toBe(1);
    expect(await seatsOf(far.id)).toBe(0);
  });

  it("refuses a cross-site submit, a closed city and an expired flow alike, booking nothing", async () => {
    const s = await slot();
    const closedSlot = await slot(suspended);
    for (const door of Object.values(doors)) {
      const cookie = cookieOf(city, await resident());
      expect(await door({ slug: city.slug, cookie, origin: "https://evil.example", slot: s.id })).toEqual({
        answer: "cross-site",
      });
      expect(await door({ slug: city.slug, cookie, origin: null, slot: s.id })).toEqual({ answer: "cross-site" });
      expect(
        await door({
          slug: suspended.slug,
          cookie: cookieOf(suspended, await resident(suspended)),
          slot: closedSlot.id,
        }),
      ).toEqual({ answer: "suspended" });
      expect(await door({ slug: city.slug, slot: s.id })).toEqual({
        answer: "expired",
        goTo: `/c/${city.slug}/reserve?expired=1`,
      });
      // A flow that has not reached the contact step goes back to it.
      const { contact: _none, ...early } = await resident();
      expect(await door({ slug: city.slug, cookie: cookieOf(city, early), slot: s.id })).toEqual({
        answer: "expired",
        goTo: `/c/${city.slug}/reserve/contact`,
      });
    }
    expect(await seatsOf(s.id)).toBe(0);
    expect(await seatsOf(closedSlot.id)).toBe(0);
  });

  it("keeps the waiting room's admission alive through either door (ADR 025)", async () => {
    const s = await slot(roomCity);
    const active = `${process.env.REDIS_PREFIX}:wr:{${roomCity.id}}:active`;
    for (const door of Object.values(doors)) {
      const id = randomBytes(16).toString("base64url");
      // Admitted nine minutes ago: one minute of the admission left.
      const then = Date.now() - 9 * 60_000;
      expect(await enterWaitingRoom(redis, { tenantId: roomCity.id, id, limit: 5, now: then })).toEqual({
        admitted: true,
      });
      const before = Number(await redis.zscore(active, id));
      expect(before).toBe(then + ADMISSION_TTL_MS);
      const cookie = `${cookieOf(roomCity, await resident(roomCity))}; mdg_wr=${id}`;
      expect((await door({ slug: roomCity.slug, cookie, slot: s.id })).answer).toBe("booked");
      // The refresh is fire-and-forget (it never delays a booking): wait for it to land.
      await expect.poll(async () => Number(await redis.zscore(active, id))).toBeGreaterThan(before);
    }
  });
});
