import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapDatabase } from "#db/bootstrap";
import { createDb } from "#db/client.server";
import type { Tenant } from "#db/schema/index";
import { flowCookie } from "~/features/reservations/resident-flow.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue, ticketNumbers } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { makeStaff, makeVendor } from "#tests/factories/staff";
import { verifiedVendorSession } from "#tests/factories/two-factor";
import { createSession } from "~/auth/session.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { freePort, startPrivatePostgres, waitForPostgres, type PrivatePostgres } from "#tests/setup/private-postgres";

/**
 * ADR 029, against a real restart: a private PostgreSQL cluster (never the shared one on 5432) with
 * the migrations and one city; the real web server and the real worker as their own processes,
 * pointed at it; residents booking through the booking JSON endpoint and loading pages while the
 * database is stopped and started twice (a fast shutdown, then a crash-like immediate one). Neither
 * process may exit; every answer is 200/409/503; while the database is away pages are the Japanese
 * 503 page with Retry-After and the booking endpoint the 503 JSON its page understands; service comes
 * back by itself; afterwards the seat counters equal the rows, nobody holds two bookings, and a
 * resident who was told "booked" has exactly that booking.
 */
const DB = "madoguchi_pgrestart";
const HOLDERS = 120;
const SLOTS = 3;
const SEATS = 25;

let pg: PrivatePostgres;
let owner: ReturnType<typeof createDb>;
let city: Tenant;
const slotIds: string[] = [];
let cookies: string[] = [];
/** A city admin's and a (two-factor verified) vendor's sessions, for the staff resource routes. */
let staffCookies = "";
let web: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let origin = "";
let healthUrl = "";
const output = { web: [] as string[], worker: [] as string[] };
const exits: string[] = [];

function spawnChild(name: "web" | "worker", args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (b: Buffer) => output[name].push(b.toString()));
  child.stderr!.on("data", (b: Buffer) => output[name].push(b.toString()));
  child.once("exit", (code, signal) => exits.push(`${name} exited: ${code ?? signal}`));
  return child;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  pg = await startPrivatePostgres();
  const ownerUrl = pg.url("madoguchi_owner", DB);
  const appUrl = pg.url("madoguchi_app", DB);
  await bootstrapDatabase({ ownerUrl, superuserUrl: pg.url("postgres", "postgres") }, { recreate: true });
  owner = createDb(ownerUrl, 2);
  const app = createDb(appUrl, 2);
  try {
    city = await makeTenant(app.db, { name: "再起動テスト市", status: "active" });
    const serviceId = (await makeService(app.db, city.id, { doses: 1, bookingWindowDays: 60 })).id;
    const venueId = (await makeVenue(app.db, city.id)).id;
    for (let d = 0; d < SLOTS; d++)
      slotIds.push(
        (
          await makeSlot(app.db, city.id, {
            venueId,
            serviceId,
            startsAt: new Date(Date.now() + (2 + d) * 86_400_000),
            webCapacity: SEATS,
          })
        ).id,
      );
    const holders = await makeTicketHolders(
      app.db,
      city.id,
      ticketNumbers(HOLDERS, 4_000_000_000).map((t) => ({ ticketNumber: t, birthDate: "1950-04-01" })),
    );
    const admin = await makeStaff(app.db, { tenantId: city.id, role: "admin" });
    const vendor = await makeVendor(app.db);
    const staffSession = await createSession(app.db, "staff", admin.user.id);
    const vendorToken = await verifiedVendorSession(app.db, masterKey(env().MADOGUCHI_MASTER_KEY), vendor.user.id);
    staffCookies = `mdg_staff=${staffSession.token}; mdg_vendor=${vendorToken}`;
    cookies = holders.map(
      (h) =>
        flowCookie(city, {
          channel: "web",
          serviceId,
          ticketHolderId: h.id,
          contact: { name: "再起 花子", phone: "09033334444", email: "" },
        }).split(";")[0]!,
    );
  } finally {
    await app.sql.end({ timeout: 1 });
  }

  const webPort = await freePort();
  const healthPort = await freePort();
  origin = `http://127.0.0.1:${webPort}`;
  healthUrl = `http://127.0.0.1:${healthPort}/healthz`;
  const common = {
    NODE_ENV: "test",
    DATABASE_URL: appUrl,
    DATABASE_POOL_MAX: "6",
    // Its own queues: this worker must not take other test files' jobs, nor they its own.
    REDIS_PREFIX: `mdgtest:pgrestart${randomBytes(3).toString("hex")}`,
    APP_ORIGIN: origin,
    LOG_LEVEL: "info",
    // Nothing may reach a real mail server or LINE: both point at closed ports.
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
    LINE_API_BASE: `http://127.0.0.1:${await freePort()}`,
  };
  worker = spawnChild("worker", ["jobs/worker.ts"], { ...common, WORKER_HEALTH_PORT: String(healthPort) });
  web = spawnChild("web", ["tests/setup/web-from-source.ts"], { ...common, PORT: String(webPort) });
  await until("web", async () => (await fetch(`${origin}/c/${city.slug}/reserve`)).status === 200, 120_000);
  await until("worker /healthz", async () => (await fetch(healthUrl)).status === 200);
}, 180_000);

afterAll(async () => {
  for (const child of [web, worker]) if (child && child.exitCode === null) child.kill("SIGKILL");
  await owner?.sql.end({ timeout: 1 });
  pg?.destroy();
});

type Answer = { ok: boolean; reason?: string; message?: string; redirectTo?: string; replayed?: boolean };

/**
 * Every request has a deadline (ADR 041): the app must answer within a bounded time even while the
 * database is away, so a request that does not is a failure naming its step, never a silent hang.
 */
const DEADLINE_MS = 20_000;
const stalled: string[] = [];
async function timed<T>(step: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await run(AbortSignal.timeout(DEADLINE_MS));
  } catch (e) {
    if ((e as Error).name === "TimeoutError") {
      stalled.push(step);
      throw new Error(`${step}: no answer within ${DEADLINE_MS} ms`, { cause: e });
    }
    throw e;
  }
}

/** One resident's booking submit, exactly as the confirm page's script sends it. */
async function book(i: number, key: string, step = "booking submit") {
  return timed(step, async (signal) => {
    const res = await fetch(`${origin}/c/${city.slug}/reserve/book`, {
      method: "POST",
      headers: { origin, cookie: cookies[i]!, "content-type": "application/json" },
      body: JSON.stringify({ slot: slotIds[i % SLOTS], idempotencyKey: key }),
      signal,
    });
    return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as Answer };
  });
}

async function venuePage(i: number, data = false, step = data ? "venue data request" : "venue page") {
  return timed(step, async (signal) => {
    const res = await fetch(`${origin}/c/${city.slug}/reserve/venue${data ? ".data" : ""}`, {
      headers: { cookie: cookies[i]! },
      redirect: "manual",
      signal,
    });
    return { status: res.status, retryAfter: res.headers.get("retry-after"), text: await res.text() };
  });
}

/**
 * Every route that is not a page, while the database is away: 503 with Retry-After, never a 500
 * (issue 12). Resource routes have no error boundary; the root middleware answers for them.
 */
async function resourcesWhileAway(mode: string) {
  const c = `/c/${city.slug}`;
  const json = { "content-type": "application/json", origin };
  const routes: [string, RequestInit?][] = [
    ["/healthz"],
    [`${c}/admin/venue-day/export?venue=${crypto.randomUUID()}&date=2026-12-24`],
    [`${c}/admin/billing/export`],
    [`${c}/admin/broadcasts/count`],
    [`${c}/admin/line/richmenu/preview/main`],
    [`${c}/media/${crypto.randomUUID()}`],
    [`${c}/reserve/done/ABCD2345/calendar.ics`],
    [`${c}/liff/session`],
    [`${c}/liff/session`, { method: "POST", headers: json, body: JSON.stringify({ idToken: "x" }) }],
    ["/vendor/usage/export"],
  ];
  const answers: string[] = [];
  for (const [path, init] of routes) {
    const r = await timed(`${init?.method ?? "GET"} ${path}, database stopped (${mode})`, (signal) =>
      fetch(`${origin}${path}`, {
        ...init,
        headers: { cookie: staffCookies, ...(init?.headers as Record<string, string>) },
        redirect: "manual",
        signal,
      }),
    );
    await r.arrayBuffer();
    answers.push(`${init?.method ?? "GET"} ${path.split("?")[0]} ${r.status} ${r.headers.get("retry-after")}`);
  }
  expect(answers).toEqual(routes.map(([p, i]) => `${i?.method ?? "GET"} ${p.split("?")[0]} 503 10`));
  // An export link opened in the browser: the same answer as a short Japanese page.
  const page = await fetch(`${origin}${c}/admin/billing/export`, {
    headers: { cookie: staffCookies, accept: "text/html,application/xhtml+xml" },
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
  expect(page.status).toBe(503);
  expect(await page.text()).toContain("ただいま混み合っています");
}

describe("PostgreSQL restart under booking load", () => {
  it(
    "no process exits, answers are 200/409/503 (a Japanese 503 while away), service resumes, counters = rows",
    // It once hung for 240 s (2026-12-07): a booking's reserved connection died with the database
    // and postgres.js put it back among the open ones; a few of those and the pool answered nothing
    // ever again (ADR 041, patches/postgres+3.4.9.patch). Now every request has a deadline (timed()).
    { timeout: 240_000 },
    async () => {
      const keys = cookies.map(() => crypto.randomUUID());
      const statuses = new Map<number, number>();
      const bookedCodes = new Map<number, Set<string>>();
      const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
      let running = true;
      // Residents keep submitting (a resend after 503 uses the same key, as the page does) and
      // loading pages, full page loads and the router's data requests alike.
      const residents = Array.from({ length: 6 }, async (_, n) => {
        for (let k = n; running; k += 6) {
          const i = k % HOLDERS;
          try {
            const r = await book(i, keys[i]!);
            count(r.status);
            const code = r.body.redirectTo?.split("/").pop();
            if (r.body.ok && code) bookedCodes.set(i, (bookedCodes.get(i) ?? new Set()).add(code));
            if (k % 5 === 0) count((await venuePage(i, k % 10 === 0)).status);
          } catch (e) {
            // A refused or reset connection counts as -1; a request past its deadline fails the test.
            if ((e as Error).message.includes("no answer within")) throw e;
            count(-1);
          }
          await new Promise((r) => setTimeout(r, 15));
        }
      });

      for (const mode of ["fast", "immediate"] as const) {
        await new Promise((r) => setTimeout(r, 2_000));
        pg.stop(mode);
        // While the database is away: the page, its data request and the booking endpoint.
        const page = await venuePage(0, false, `venue page, database stopped (${mode})`);
        expect(page.status).toBe(503);
        expect(page.retryAfter).toBe("10");
        expect(page.text).toContain("ただいま混み合っています");
        expect(page.text).not.toContain("エラーが発生しました");
        const dataReq = await venuePage(1, true, `venue data request, database stopped (${mode})`);
        expect(dataReq.status).toBe(503);
        expect(JSON.parse(dataReq.text)).toMatchObject({ reason: "busy" });
        const submit = await book(2, keys[2]!, `booking submit, database stopped (${mode})`);
        expect(submit.status).toBe(503);
        expect(submit.retryAfter).toBe("10");
        expect(submit.body).toMatchObject({
          ok: false,
          reason: "busy",
          message: expect.stringContaining("混み合って"),
        });
        await resourcesWhileAway(mode);
        await new Promise((r) => setTimeout(r, 1_500));
        pg.start();
        await waitForPostgres(pg.url("madoguchi_app", DB));
        // Back by itself: no process was restarted.
        await until("bookings to be answered again", async () => (await book(3, keys[3]!)).status === 200, 30_000);
        await until("pages to be served again", async () => (await venuePage(4)).status === 200, 30_000);
      }
      await new Promise((r) => setTimeout(r, 1_500));
      running = false;
      await Promise.all(residents);
      expect(stalled, "requests without an answer in time").toEqual([]);

      // Everyone who never got a definite answer sends again once more now.
      for (let i = 0; i < HOLDERS; i++) {
        const r = await book(i, keys[i]!);
        expect(r.status).toBe(200);
        const code = r.body.redirectTo?.split("/").pop();
        if (r.body.ok && code) bookedCodes.set(i, (bookedCodes.get(i) ?? new Set()).add(code));
      }

      expect(exits, [...output.web, ...output.worker].join("").slice(-4000)).toEqual([]);
      expect(web!.exitCode).toBeNull();
      expect(worker!.exitCode).toBeNull();
      const seen = [...statuses.keys()].sort();
      expect(
        seen.every((s) => [200, 409, 503].includes(s)),
        JSON.stringify([...statuses]),
      ).toBe(true);
      expect(statuses.get(200)).toBeGreaterThan(0);
      const logs = [...output.web, ...output.worker].join("");
      expect(logs).not.toContain("TypeError");
      expect(logs).not.toContain("uncaught");
      // The outage is one warning line per request, no stack trace and no error dump.
      expect(logs).toContain('"msg":"database unavailable: answered 503"');
      expect(logs).not.toMatch(/Response \{|\n\s+at /);

      // Counters = rows; nobody twice; each "booked" answer is the one booking that resident holds.
      const perSlot = await owner.sql<{ id: string; web_booked: number; web_capacity: number; rows: number }[]>`
        select s.id, s.web_booked, s.web_capacity,
               (select count(*)::int from reservations r
                 where r.slot_id = s.id and r.channel = 'web' and r.status = 'booked') as rows
          from slots s where s.tenant_id = ${city.id}`;
      expect(perSlot).toHaveLength(SLOTS);
      for (const s of perSlot) {
        expect(s.web_booked).toBe(s.rows);
        expect(s.web_booked).toBeLessThanOrEqual(s.web_capacity);
      }
      expect(perSlot.reduce((n, s) => n + s.rows, 0)).toBe(SLOTS * SEATS);
      const held = await owner.sql<{ ticket_holder_id: string; n: number; codes: string[] }[]>`
        select ticket_holder_id, count(*)::int as n, array_agg(confirmation_code) as codes
          from reservations where tenant_id = ${city.id} and status = 'booked' group by ticket_holder_id`;
      expect(held.every((h) => h.n === 1)).toBe(true);
      expect(held).toHaveLength(bookedCodes.size);
      const heldCodes = new Set(held.map((h) => h.codes[0]));
      for (const codes of bookedCodes.values()) {
        expect(codes.size).toBe(1);
        expect(heldCodes.has([...codes][0]!)).toBe(true);
      }

      // The worker is healthy again and relays every notice row written before and after the restarts.
      await until("worker /healthz ok", async () => (await fetch(healthUrl)).status === 200, 30_000);
      await until(
        "the outbox to be relayed",
        async () =>
          (
            await owner.sql`select count(*)::int as n from outbox where tenant_id = ${city.id} and relayed_at is null`
          )[0]!.n === 0,
        30_000,
      );
    },
  );
});
