import { and, eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, type Tenant } from "#db/schema/index";
import { NoScriptRefresh } from "~/features/reservations/components/waiting-room";
import { bookFromFlow, flowCookie, startFlow } from "~/features/reservations/resident-flow.server";
import {
  ADMISSION_TTL_MS,
  WAITER_TTL_MS,
  activeAdmissions,
  enterWaitingRoom,
  touchAdmission,
} from "~/features/reservations/waiting-room.server";
import { setBookingConcurrency } from "~/features/reservations/waiting-room-settings.server";
import { getTenant } from "~/features/tenants/tenants.server";
import { closeRedis, getRedis } from "~/lib/redis.server";
import * as servicesPage from "~/routes/c.$city.admin.services";
import * as contactPage from "~/routes/c.$city.reserve.contact";
import * as reservePage from "~/routes/c.$city.reserve";
import * as donePage from "~/routes/c.$city.reserve.done.$code";
import { staffContext, tenantContext } from "~/tenants/context";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { log } from "~/lib/log.server";

/**
 * ADR 025 against real Redis and PostgreSQL: the city's limit admits N residents into the booking
 * flow, the rest wait in arrival order; expiry and a finished booking free places; 200 simultaneous
 * arrivals over several connections admit exactly N; no setting or no Redis means no gate.
 */
const dbs = testDbs();
let redis: Redis;
let admin: Awaited<ReturnType<typeof makeStaff>>;
let ticket = 4_200_000_000;
const serviceOf = new Map<string, string>();
const prefix = () => `${process.env.REDIS_PREFIX}:wr`;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!);
});
afterAll(async () => {
  const stale = await redis.keys(`${prefix()}:*`);
  if (stale.length) await redis.del(...stale);
  redis.disconnect();
  await closeRedis();
  await dbs.close();
});

/** A live city with one service; `limit` set through the admin use-case (null = the default). */
async function cityWith(limit: number | null): Promise<Tenant> {
  const city = await makeTenant(dbs.appDb);
  serviceOf.set(city.id, (await makeService(dbs.appDb, city.id)).id);
  admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
  if (limit !== null) await setBookingConcurrency(dbs.appDb, city, limit, { staffUserId: admin.user.id });
  return (await getTenant(dbs.appDb, city.id))!;
}

function args(city: Tenant, request: Request) {
  const context = new RouterContextProvider();
  context.set(tenantContext, city);
  context.set(staffContext, { user: admin.user, membership: admin.membership, sessionId: "s" });
  return { request, context, params: { city: city.slug }, unstable_pattern: "" } as never;
}

type Visit = { waiting: { position: number } | null; cookie: string | null; data: Record<string, unknown> };

/** GET /c/:city/reserve, as a resident with (or without) the waiting room's cookie. */
async function visit(city: Tenant, cookie: string | null = null): Promise<Visit> {
  const r = await reservePage.loader(
    args(city, new Request(`http://madoguchi.test/c/${city.slug}/reserve`, { headers: cookie ? { cookie } : {} })),
  );
  const setCookie = (r.init?.headers as Record<string, string> | undefined)?.["Set-Cookie"] ?? null;
  const data = r.data as Record<string, unknown> & { waiting: { position: number } | null };
  return { waiting: data.waiting, cookie: setCookie ? setCookie.split(";")[0]! : cookie, data };
}

describe("waiting room at the entry of the booking flow", () => {
  it("without the setting (the default) nobody waits and Redis is not touched", async () => {
    const city = await cityWith(null);
    expect(city.bookingConcurrency).toBeNull();
    for (let i = 0; i < 5; i++) {
      const v = await visit(city);
      expect(v.waiting).toBeNull();
      expect(v.cookie).toBeNull();
      expect(v.data.services).toHaveLength(1);
    }
    expect(await redis.keys(`${prefix()}:{${city.id}}:*`)).toEqual([]);
  });

  it("admits N, the N+1th waits at position 1, and places go in arrival order", async () => {
    const city = await cityWith(3);
    const admitted = [await visit(city), await visit(city), await visit(city)];
    for (const v of admitted) expect(v.waiting).toBeNull();
    const fourth = await visit(city);
    const fifth = await visit(city);
    expect(fourth.waiting).toEqual({ position: 1, refreshSeconds: 10 });
    expect(fifth.waiting?.position).toBe(2);
    // Coming back keeps one's place (and an admitted resident stays admitted).
    expect((await visit(city, fifth.cookie)).waiting?.position).toBe(2);
    expect((await visit(city, admitted[0]!.cookie)).waiting).toBeNull();
    // The waiting page refreshes itself without JavaScript: a meta refresh that only <noscript> holds
    // (a page-wide one is an axe critical), never in the route's <head> meta.
    expect(reservePage.meta({ data: fifth.data, matches: [] } as never)).toEqual([
      { title: expect.stringContaining("順番待ち") },
    ]);
    expect(renderToStaticMarkup(createElement(NoScriptRefresh, { seconds: 10 }))).toBe(
      '<noscript><meta http-equiv="refresh" content="10"></noscript>',
    );
    // A forged cookie is just a newcomer, at the back.
    expect((await visit(city, "mdg_wr=AAAAAAAAAAAAAAAAAAAAAA")).waiting?.position).toBe(3);

    // One place frees: the fifth polling first does not jump the fourth.
    await redis.zrem(`${prefix()}:{${city.id}}:active`, admitted[0]!.cookie!.split("=")[1]!);
    expect((await visit(city, fifth.cookie)).waiting?.position).toBe(2);
    expect((await visit(city, fourth.cookie)).waiting).toBeNull();
    expect((await visit(city, fifth.cookie)).waiting?.position).toBe(1);
    expect(await activeAdmissions(redis, city.id)).toBe(3);
  });

  it("a waiting resident's submit goes back to the waiting page without checking the ticket", async () => {
    const city = await cityWith(1);
    await visit(city);
    const waiter = await visit(city);
    const form = new URLSearchParams({
      ticketNumber: "1234567890",
      birthYear: "1950",
      birthMonth: "4",
      birthDay: "1",
      channel: "web",
    });
    const request = new Request(`http://madoguchi.test/c/${city.slug}/reserve?channel=line`, {
      method: "POST",
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: waiter.cookie! },
    });
    const res = await reservePage.action(args(city, request)).catch((e: unknown) => e as Response);
    expect(res).toBeInstanceOf(Response);
    expect((res as Response).status).toBe(302);
    expect((res as Response).headers.get("location")).toBe(`/c/${city.slug}/reserve?channel=line`);
    expect((res as Response).headers.get("set-cookie")).not.toContain("mdg_reserve");
  });

  it("later steps are never gated, and a finished booking hands its place to the next in line", async () => {
    const city = await cityWith(1);
    const venue = await makeVenue(dbs.appDb, city.id);
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: serviceOf.get(city.id)!,
      startsAt: new Date(Date.now() + 3 * 24 * 3600_000),
    });
    const resident = await visit(city);
    expect(resident.waiting).toBeNull();
    const next = await visit(city);
    expect(next.waiting?.position).toBe(1);

    const ticketNumber = String(++ticket);
    await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
    const started = await startFlow(dbs.appDb, {
      tenantId: city.id,
      ticketNumber,
      birthDate: "1950-04-01",
      channel: "web",
      ip: "10.9.0.1",
    });
    if (!started.ok) throw new Error(started.message);
    // Mid-flow with the room full: the step pages answer as usual (they only refresh the admission).
    const flow = flowCookie(city, started.state).split(";")[0]!;
    const contact = contactPage.loader(
      args(
        city,
        new Request(`http://madoguchi.test/c/${city.slug}/reserve/contact`, {
          headers: { cookie: `${flow}; ${resident.cookie}` },
        }),
      ),
    );
    expect(contact).toMatchObject({ city: { slug: city.slug } });

    const booked = await bookFromFlow(dbs.appDb, {
      tenantId: city.id,
      state: { ...started.state, contact: { name: "和歌 太郎", phone: "", email: "wr@example.test" } },
      slotId: slot.id,
      idempotencyKey: crypto.randomUUID(),
      ip: "10.9.0.1",
    });
    if (!booked.ok) throw new Error(booked.message);
    const request = new Request(
      `http://madoguchi.test/c/${city.slug}/reserve/done/${booked.reservation.confirmationCode}`,
      { headers: { cookie: `${flow}; ${resident.cookie}` } },
    );
    const page = await donePage.loader({
      ...(args(city, request) as object),
      params: { city: city.slug, code: booked.reservation.confirmationCode },
    } as never);
    const cookies = (page.init?.headers as Headers).getSetCookie();
    expect(cookies.some((c) => c.startsWith("mdg_wr=") && c.includes("Max-Age=0"))).toBe(true);
    expect(await activeAdmissions(redis, city.id)).toBe(0);
    expect((await visit(city, next.cookie)).waiting).toBeNull();
  });

  it("an admission lapses after inactivity unless a step refreshes it; a waiter who stops polling leaves", async () => {
    const city = await cityWith(2);
    const t0 = Date.now();
    const enter = (id: string, now: number) => enterWaitingRoom(redis, { tenantId: city.id, id, limit: 2, now });
    expect(await enter("a", t0)).toEqual({ admitted: true });
    expect(await enter("b", t0)).toEqual({ admitted: true });
    expect(await enter("c", t0)).toEqual({ admitted: false, position: 1 });
    expect(await enter("d", t0)).toEqual({ admitted: false, position: 2 });
    await touchAdmission(redis, city.id, "a", t0 + 5 * 60_000);
    // The waiters keep polling (the page refreshes every 10 seconds).
    const polled = t0 + ADMISSION_TTL_MS - 1000;
    expect(await enter("c", polled)).toEqual({ admitted: false, position: 1 });
    expect(await enter("d", polled)).toEqual({ admitted: false, position: 2 });
    // b lapses, a was refreshed: one place, for c (d keeps waiting behind).
    const later = t0 + ADMISSION_TTL_MS + 1;
    expect(await enter("d", later)).toEqual({ admitted: false, position: 2 });
    expect(await enter("c", later)).toEqual({ admitted: true });
    expect(await activeAdmissions(redis, city.id, later)).toBe(2);
    // d stops polling; e arrives after d's waiting time ran out and is first in line.
    expect(await enter("e", later + WAITER_TTL_MS + 1)).toEqual({ admitted: false, position: 1 });
    // touch never admits anybody.
    await touchAdmission(redis, city.id, "zz", later);
    expect(await activeAdmissions(redis, city.id, later)).toBe(2);
  });

  it("200 simultaneous arrivals over 10 connections with N = 50: exactly 50 admitted, positions 1..150 once each", async () => {
    const city = await cityWith(50);
    const conns = Array.from({ length: 10 }, () => new Redis(process.env.REDIS_URL!));
    try {
      const now = Date.now();
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          enterWaitingRoom(conns[i % 10]!, { tenantId: city.id, id: `r${i}`, limit: 50, now }),
        ),
      );
      expect(results.filter((r) => r.admitted)).toHaveLength(50);
      const positions = results.flatMap((r) => (r.admitted ? [] : [r.position])).sort((a, b) => a - b);
      expect(positions).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
      expect(await activeAdmissions(redis, city.id)).toBe(50);
    } finally {
      for (const c of conns) c.disconnect();
    }
  });

  it("with Redis down the gate opens (and says so in the log)", async () => {
    const city = await cityWith(1);
    await visit(city);
    expect((await visit(city)).waiting?.position).toBe(1);
    const g = globalThis as unknown as { __madoguchiRedis?: Redis };
    const real = getRedis();
    const dead = new Redis({
      port: 1,
      host: "127.0.0.1",
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on("error", () => {});
    const warn = vi.spyOn(log(), "warn").mockImplementation(() => {});
    g.__madoguchiRedis = dead;
    try {
      const v = await visit(city);
      expect(v.waiting).toBeNull();
      expect(v.data.services).toHaveLength(1);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("waiting room unavailable"));
    } finally {
      g.__madoguchiRedis = real;
      warn.mockRestore();
      dead.disconnect();
    }
  });
});

describe("同時に予約手続きできる人数 on the admin services page", () => {
  const save = async (city: Tenant, value: string) => {
    const request = new Request(`http://madoguchi.test/c/${city.slug}/admin/services`, {
      method: "POST",
      body: new URLSearchParams({ bookingConcurrency: value }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    return servicesPage.action(args(city, request));
  };

  it("validates 1–100000, accepts full-width digits, clears with empty, and audits each change", async () => {
    const city = await cityWith(null);
    for (const bad of ["0", "100001", "1.5", "abc", "-3"]) {
      const r = await save(city, bad);
      expect(r).toMatchObject({ ok: false, errors: { bookingConcurrency: expect.stringContaining("1〜100000") } });
    }
    expect((await getTenant(dbs.appDb, city.id))!.bookingConcurrency).toBeNull();
    const ok = await save(city, "５０");
    expect(ok).toBeInstanceOf(Response);
    expect((await getTenant(dbs.appDb, city.id))!.bookingConcurrency).toBe(50);
    await save(city, "");
    expect((await getTenant(dbs.appDb, city.id))!.bookingConcurrency).toBeNull();
    const audit = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "tenant.booking_concurrency")));
    expect(audit.map((a) => a.detail)).toEqual(
      expect.arrayContaining([
        { from: null, to: 50 },
        { from: 50, to: null },
      ]),
    );
    expect(audit).toHaveLength(2);
  });
});
