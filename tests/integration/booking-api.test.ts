import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "#db/client.server";
import { reservations, slots, type Tenant } from "#db/schema/index";
import { handleBookingApi, type BookingApiAnswer } from "~/features/reservations/booking-api.server";
import { flowCookie, startFlow, type FlowState } from "~/features/reservations/resident-flow.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The JSON booking endpoint (the confirm page's submit with JavaScript on) must hold the same line as
 * the page action: same-origin only, an open city, a live flow cookie, validated input — and then the
 * one booking implementation with its idempotency.
 */
const dbs = testDbs();
const contact = { name: "山田 花子", phone: "09012345678", email: "hanako@example.jp" };
let city: Tenant;
let suspended: Tenant;
let serviceId: string;
let venueId: string;
let ticket = 3_000_000_000;

async function resident(): Promise<Omit<FlowState, "exp">> {
  const ticketNumber = String(++ticket);
  await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
  const r = await startFlow(dbs.appDb, {
    tenantId: city.id,
    ticketNumber,
    birthDate: "1950-04-01",
    channel: "web",
    ip: `10.9.0.${ticket % 250}`,
  });
  if (!r.ok) throw new Error(r.message);
  return { ...r.state, contact };
}

async function slot(webCapacity = 3) {
  return makeSlot(dbs.appDb, city.id, {
    venueId,
    serviceId,
    startsAt: new Date(Date.now() + 5 * 24 * 3600_000),
    webCapacity,
    phoneCapacity: 0,
  });
}

function call(opts: {
  cookie?: string;
  origin?: string | null;
  body?: unknown;
  method?: string;
  slug?: string;
  contentType?: string;
}) {
  const headers = new Headers({ "content-type": opts.contentType ?? "application/json" });
  if (opts.cookie) headers.set("cookie", opts.cookie);
  if (opts.origin !== null) headers.set("origin", opts.origin ?? env().APP_ORIGIN);
  const slug = opts.slug ?? city.slug;
  const raw = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body ?? {});
  return handleBookingApi({
    citySlug: slug,
    method: opts.method ?? "POST",
    pathname: `/c/${slug}/reserve/book`,
    selfOrigin: "http://127.0.0.1:1",
    headers,
    rawBody: Buffer.from(raw),
    clientAddress: null,
  }).then((r) => ({
    status: r.status,
    body: JSON.parse(r.body) as BookingApiAnswer,
  }));
}

const cookieOf = (t: Tenant, state: Omit<FlowState, "exp">) => flowCookie(t, state).split(";")[0]!;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "API市" });
  suspended = await makeTenant(dbs.appDb, { name: "停止市", status: "suspended" });
  serviceId = (await makeService(dbs.appDb, city.id, { doses: 1, bookingWindowDays: 60 })).id;
  venueId = (await makeVenue(dbs.appDb, city.id)).id;
});
afterAll(async () => {
  await closeRedis();
  await closeDb();
  await dbs.close();
});

describe("POST /c/:city/reserve/book", () => {
  it("books and answers where to go; a replay with the same key answers the same booking", async () => {
    const s = await slot();
    const cookie = cookieOf(city, await resident());
    const idempotencyKey = crypto.randomUUID();
    const first = await call({ cookie, body: { slot: s.id, idempotencyKey } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, replayed: false });
    const again = await call({ cookie, body: { slot: s.id, idempotencyKey } });
    expect(again.body).toMatchObject({
      ok: true,
      replayed: true,
      redirectTo: first.body.ok ? first.body.redirectTo : "",
    });
    const rows = await dbs.ownerDb
      .select()
      .from(reservations)
      .where(and(eq(reservations.slotId, s.id), eq(reservations.status, "booked")));
    expect(rows).toHaveLength(1);
    expect(first.body.ok && first.body.redirectTo).toBe(`/c/${city.slug}/reserve/done/${rows[0]!.confirmationCode}`);
  });

  it("accepts the plain form encoding too", async () => {
    const s = await slot();
    const cookie = cookieOf(city, await resident());
    const r = await call({
      cookie,
      contentType: "application/x-www-form-urlencoded",
      body: new URLSearchParams({ slot: s.id, idempotencyKey: crypto.randomUUID() }).toString(),
    });
    expect(r.body.ok).toBe(true);
  });

  it("answers a full slot with the refusal message and takes nothing", async () => {
    const s = await slot(1);
    expect(
      (
        await call({
          cookie: cookieOf(city, await resident()),
          body: { slot: s.id, idempotencyKey: crypto.randomUUID() },
        })
      ).body.ok,
    ).toBe(true);
    const r = await call({
      cookie: cookieOf(city, await resident()),
      body: { slot: s.id, idempotencyKey: crypto.randomUUID() },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: false, reason: "full" });
    const [row] = await dbs.ownerDb.select().from(slots).where(eq(slots.id, s.id));
    expect(row!.webBooked).toBe(1);
  });

  it("refuses a cross-site request, a missing flow, bad input, a suspended city and other methods — booking nothing", async () => {
    const s = await slot();
    const state = await resident();
    const body = { slot: s.id, idempotencyKey: crypto.randomUUID() };
    expect((await call({ cookie: cookieOf(city, state), origin: "https://evil.example", body })).status).toBe(403);
    expect((await call({ cookie: cookieOf(city, state), origin: null, body })).status).toBe(403);
    const expired = await call({ body });
    expect(expired.status).toBe(409);
    expect(expired.body).toMatchObject({
      ok: false,
      reason: "expired",
      redirectTo: `/c/${city.slug}/reserve?expired=1`,
    });
    // A flow cookie sealed for another city does not open here.
    expect((await call({ cookie: cookieOf(suspended, state), body })).status).toBe(409);
    expect((await call({ cookie: cookieOf(city, state), body: "{not json" })).status).toBe(400);
    const invalid = await call({ cookie: cookieOf(city, state), body: { slot: s.id, idempotencyKey: "not-a-uuid" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.ok === false && invalid.body.message).toMatch(/有効期限/);
    expect((await call({ cookie: cookieOf(suspended, state), slug: suspended.slug, body })).status).toBe(503);
    expect((await call({ cookie: cookieOf(city, state), slug: "no-such-city", body })).status).toBe(404);
    expect((await call({ cookie: cookieOf(city, state), method: "GET", body })).status).toBe(405);
    const [row] = await dbs.ownerDb.select().from(slots).where(eq(slots.id, s.id));
    expect(row!.webBooked).toBe(0);
  });
});
