import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "#db/client.server";
import { reserveWithin, withTenantPipelined } from "#db/pipeline.server";
import type { Tenant } from "#db/schema/index";
import { isDbUnavailable } from "~/lib/db-unavailable.server";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * ADR 041: the hang behind tests/integration/postgres-restart.test.ts. A booking reserves a
 * connection (withTenantPipelined); when PostgreSQL goes away during it, postgres.js hands the dead
 * connection back to the pool on release as if it were open, and after a few of those the whole pool
 * answers nothing, forever (patches/postgres+3.4.9.patch). Here the "outage" is a TCP proxy in front
 * of the test database that drops every connection, so it is exact and fast; the pool has one
 * connection, so one bad release is enough to see it.
 */
const dbs = testDbs();
let city: Tenant;
let proxy: net.Server | undefined;
const sockets = new Set<net.Socket>();
let port = 0;

const target = new URL(process.env.DATABASE_URL!);

function startProxy(): Promise<void> {
  return new Promise((resolve) => {
    proxy = net.createServer((client) => {
      sockets.add(client);
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      client.pipe(upstream).pipe(client);
      const drop = () => (client.destroy(), upstream.destroy(), sockets.delete(client));
      client.on("error", drop).on("close", drop);
      upstream.on("error", drop).on("close", drop);
    });
    proxy.listen(port, "127.0.0.1", () => {
      port = (proxy!.address() as net.AddressInfo).port;
      resolve();
    });
  });
}

/** The database "goes away": no new connections, and every open one is cut. */
function stopProxy(): Promise<void> {
  return new Promise((resolve) => {
    proxy!.close(() => resolve());
    for (const s of sockets) s.destroy();
  });
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)),
  ]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  city = await makeTenant(dbs.appDb);
  await startProxy();
});
afterAll(async () => {
  proxy?.close();
  for (const s of sockets) s.destroy();
  await dbs.close();
});

describe("a reserved connection that dies (PostgreSQL restarting mid-booking)", () => {
  it("is not handed back as open: the pool answers again once the database is back", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.port = String(port);
    const pool = createDb(url.toString(), 1);
    try {
      // A booking transaction in flight when the database goes away: it fails as "database away" (503).
      const failed = await withTenantPipelined(pool.db, city.id, async (c) => {
        await c`select 1`;
        await stopProxy();
        await sleep(100);
        await c`select 2`;
      }).catch((e: unknown) => e);
      expect(isDbUnavailable(failed)).toBe(true);

      await startProxy();
      // Back by itself, within the reconnect backoff (≤ 1 s, db/client.server.ts): every query answers.
      for (let i = 0; i < 5; i++) {
        const [row] = await within(pool.sql<{ n: number }[]>`select ${i}::int as n`, 5_000, `query ${i}`).catch(
          async (e: unknown) => {
            if (!isDbUnavailable(e)) throw e;
            await sleep(1_100); // the first one may still meet the closed connection
            return within(pool.sql<{ n: number }[]>`select ${i}::int as n`, 5_000, `query ${i} again`);
          },
        );
        expect(row!.n).toBe(i);
      }
      const booked = await within(
        withTenantPipelined(pool.db, city.id, async (c) => (await c<{ ok: number }[]>`select 1 as ok`)[0]!.ok),
        5_000,
        "a booking transaction",
      );
      expect(booked).toBe(1);
    } finally {
      await pool.sql.end({ timeout: 1 });
    }
  });

  it("a reservation that cannot be had in time is a 'database away' error, not a wait without end", async () => {
    await stopProxy();
    const url = new URL(process.env.DATABASE_URL!);
    url.port = String(port);
    // A pool whose one connection is taken: the next reservation waits in postgres.js's queue.
    const pool = createDb(url.toString(), 1);
    await startProxy();
    try {
      const held = await reserveWithin(pool.sql, 5_000);
      const waited = await reserveWithin(pool.sql, 300).catch((e: unknown) => e);
      expect(isDbUnavailable(waited)).toBe(true);
      held.release();
      // The late grant was handed straight back: the pool still serves.
      const again = await reserveWithin(pool.sql, 5_000);
      again.release();
    } finally {
      await pool.sql.end({ timeout: 1 });
    }
  });
});
