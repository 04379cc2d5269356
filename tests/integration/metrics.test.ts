import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "react-router";
import { createServer as createVite, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import type { Tenant } from "#db/schema/index";
import { startHealthServer } from "#jobs/health.server";
import { registerWorkerMetrics } from "#jobs/metrics.server";
import { createQueues, type Queues } from "#jobs/queues.server";
import { createLineClient } from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import { flowCookie, startFlow } from "~/features/reservations/resident-flow.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import { emulatorControl, fakeChannel } from "#tests/factories/line";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { createWebServer } from "../../server/app";

/**
 * ADR 037: /metrics is never public — not on the web's public port, and on its own port (here the
 * worker's health port) only with the bearer token — and its counters move with real work: a
 * booking through the production request handler, LINE calls against the emulator (a 429 included).
 */
const dbs = testDbs();
const TOKEN = "metrics-test-token-0123456789abcdef";
let vite: ViteDevServer;
let web: Server;
let base = "";
let health: Server;
let metricsUrl = "";
let queues: Queues;
let emu: LineEmulator;
let city: Tenant;

async function freePort() {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one sample line (0 when the series does not exist yet). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(" ").pop());
  }
  return 0;
}

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "計測市" });
  vite = await createVite({
    configFile: "vite.config.ts",
    logLevel: "error",
    appType: "custom",
    server: { middlewareMode: true, hmr: false, ws: false },
  });
  const build = (await vite.ssrLoadModule("virtual:react-router/server-build")) as ServerBuild;
  web = createWebServer(build);
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;

  queues = createQueues(env().REDIS_URL, `${env().REDIS_PREFIX}:metrics`);
  registerWorkerMetrics(dbs.appDb, queues);
  const port = await freePort();
  health = startHealthServer({
    port,
    host: "127.0.0.1",
    db: dbs.appDb,
    queues,
    log: () => {},
    metricsToken: TOKEN,
  })!;
  await new Promise((r) => health.once("listening", r));
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  emu = await startLineEmulator({ port: 0 });
}, 120_000);

afterAll(async () => {
  await new Promise((r) => health?.close(r));
  await new Promise((r) => web?.close(r));
  await queues?.close();
  await emu?.close();
  const db = (await vite.ssrLoadModule("/db/client.server.ts")) as { closeDb(): Promise<void> };
  await db.closeDb();
  const redis = (await vite.ssrLoadModule("/app/lib/redis.server.ts")) as { closeRedis?(): Promise<void> };
  await redis.closeRedis?.();
  await closeRedis();
  await vite.close();
  await dbs.close();
});

describe("/metrics", () => {
  it("is not served on the public port, and refuses a scrape without the right token", async () => {
    const pub = await fetch(`${base}/metrics`);
    expect(pub.status).toBe(404);
    expect(await pub.text()).not.toContain("madoguchi_");
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: TOKEN } })).status).toBe(401);
    // No token configured: no /metrics at all (the health check itself still answers).
    const port = await freePort();
    const open = startHealthServer({ port, host: "127.0.0.1", db: dbs.appDb, queues, log: () => {} })!;
    await new Promise((r) => open.once("listening", r));
    try {
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    } finally {
      await new Promise((r) => open.close(r));
    }
  });

  it("counts a booking through the production handler, and times requests by route pattern", async () => {
    const service = await makeService(dbs.appDb, city.id, { doses: 1 });
    const venue = await makeVenue(dbs.appDb, city.id);
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: new Date(Date.now() + 3 * 24 * 3600_000),
      webCapacity: 1,
      phoneCapacity: 0,
    });
    const before = await scrape();
    for (const ticketNumber of ["3700000001", "3700000002"]) {
      await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
      const flow = await startFlow(dbs.appDb, {
        tenantId: city.id,
        ticketNumber,
        birthDate: "1950-04-01",
        channel: "web",
        ip: "10.7.0.1",
      });
      if (!flow.ok) throw new Error(flow.message);
      const cookie = flowCookie(city, {
        ...flow.state,
        contact: { name: "計測 花子", phone: "", email: "m@example.jp" },
      });
      const res = await fetch(`${base}/c/${city.slug}/reserve/book`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: env().APP_ORIGIN, cookie: cookie.split(";")[0]! },
        body: JSON.stringify({ slot: slot.id, idempotencyKey: crypto.randomUUID() }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    await (await fetch(`${base}/c/${city.slug}/reserve`)).arrayBuffer();
    const after = await scrape();
    const outcome = (o: string) => ["madoguchi_booking_outcomes_total", { outcome: o }] as const;
    expect(sample(after, ...outcome("booked")) - sample(before, ...outcome("booked"))).toBe(1);
    expect(sample(after, ...outcome("full")) - sample(before, ...outcome("full"))).toBe(1);
    const count = (text: string, route: string) =>
      sample(text, "madoguchi_http_request_duration_seconds_count", { route, method: "POST", status: "200" });
    expect(count(after, "/c/:city/reserve/book") - count(before, "/c/:city/reserve/book")).toBe(2);
    // Pages by their pattern, never the raw path with the city in it.
    expect(after).toMatch(/madoguchi_http_request_duration_seconds_count\{[^}]*route="\/c\/:city\/reserve"/);
    expect(after).not.toContain(`route="/c/${city.slug}`);
    // The worker's gauges and the process defaults are there too.
    expect(after).toMatch(/^madoguchi_outbox_pending \d+/m);
    expect(after).toMatch(/^madoguchi_outbox_oldest_age_seconds [\d.e+-]+/m);
    expect(after).toMatch(/^madoguchi_queue_jobs\{queue="mail",state="waiting"\} \d+/m);
    expect(after).toMatch(/^madoguchi_db_connections\{state="[a-z ]+"\} \d+/m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it("counts LINE API answers by status, 429s included", async () => {
    const channel = fakeChannel("metrics-test");
    const ctl = emulatorControl(emu.url);
    await ctl.registerChannel(channel);
    await ctl.rateLimits(channel.channelId, { push: 1 });
    const client = createLineClient(channel, {
      apiBase: emu.url,
      dataApiBase: emu.url,
      limiter: null,
      retry: { maxAttempts: 1, sleep: async () => {} },
    });
    const before = await scrape();
    await client.getBotInfo();
    const to = `U${"2".repeat(32)}`;
    const pushes = await Promise.allSettled(
      [1, 2, 3].map(() => client.push(to, [{ type: "text", text: "計測" }], { retryKey: crypto.randomUUID() })),
    );
    const limited = pushes.filter((p) => p.status === "rejected" && (p.reason as LineApiError).status === 429);
    expect(limited.length).toBeGreaterThan(0);
    const after = await scrape();
    const delta = (operation: string, status: string) =>
      sample(after, "madoguchi_line_api_responses_total", { operation, status }) -
      sample(before, "madoguchi_line_api_responses_total", { operation, status });
    expect(delta("bot info", "2xx")).toBe(1);
    expect(delta("push", "429")).toBe(limited.length);
    expect(delta("push", "2xx") + delta("push", "429")).toBe(3);
  });
});
