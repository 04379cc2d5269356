import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, reservations, type Tenant } from "#db/schema/index";
import { catalogue, isJobName } from "#jobs/catalogue";
import { createQueues } from "#jobs/queues.server";
import { relayOutboxOnce } from "#jobs/relay.server";
import { IDENTITY_THROTTLED } from "~/features/reservations/identity.server";
import { bookFromFlow, startFlow } from "~/features/reservations/resident-flow.server";
import { cancelReservation } from "~/features/reservations/change-cancel.server";
import { createInvitation } from "~/features/staff/invitations.server";
import { masterKey } from "~/lib/crypto.server";
import { closeRedis } from "~/lib/redis.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeVendor } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * ADR 006's promise, proven against a real outage: a private redis-server (never the shared one)
 * is stopped; residents keep booking through the real path (ticket check with its rate limits,
 * booking, outbox row in the same transaction); Redis comes back empty; the relay delivers every
 * row as exactly one BullMQ job, even when a row is relayed twice.
 */
let redisPort = 0;
let redisProc: ChildProcess | undefined;

async function freePort() {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  redisProc = spawn(
    "redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const probe = new Redis(redisPort, "127.0.0.1", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on("error", () => {});
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("private redis-server did not start");
}

async function stopRedis() {
  const p = redisProc;
  redisProc = undefined;
  if (!p || p.exitCode !== null) return;
  const exited = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  await exited;
}

// This file's code under test talks only to the private server: set before anything reads env().
redisPort = await freePort();
process.env.REDIS_URL = `redis://127.0.0.1:${redisPort}/0`;

const dbs = testDbs();
const key = masterKey(process.env.MADOGUCHI_MASTER_KEY ?? "ZGV2LW9ubHktbWFzdGVyLWtleS1kby1ub3QtdXNlISE=");
let queues: ReturnType<typeof createQueues>;
let city: Tenant;
let serviceId: string;
let slotIds: string[];
let ticket = 3_000_000_000;

beforeAll(async () => {
  await startRedis();
  queues = createQueues(process.env.REDIS_URL!, process.env.REDIS_PREFIX!);
  city = await makeTenant(dbs.appDb, { name: "停電テスト市", status: "active" });
  serviceId = (await makeService(dbs.appDb, city.id, { doses: 1, bookingWindowDays: 60 })).id;
  const venueId = (await makeVenue(dbs.appDb, city.id)).id;
  slotIds = [];
  for (let d = 2; d <= 4; d++)
    slotIds.push(
      (
        await makeSlot(dbs.appDb, city.id, {
          venueId,
          serviceId,
          startsAt: new Date(Date.now() + d * 86_400_000),
          webCapacity: 10,
        })
      ).id,
    );
});

afterAll(async () => {
  await queues?.close();
  await closeRedis();
  await stopRedis();
  await dbs.close();
});

const contact = { name: "停電 太郎", phone: "09011112222", email: "teiden@example.jp" };

async function residentBooks(slotId: string, ip: string) {
  const ticketNumber = String(++ticket);
  await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
  const start = await startFlow(dbs.appDb, {
    tenantId: city.id,
    ticketNumber,
    birthDate: "1950-04-01",
    serviceId,
    channel: "web",
    ip,
  });
  if (!start.ok) throw new Error(`ticket check refused: ${start.message}`);
  return bookFromFlow(dbs.appDb, {
    tenantId: city.id,
    state: { ...start.state, contact },
    slotId,
    idempotencyKey: crypto.randomUUID(),
    ip,
  });
}

const pendingRows = () =>
  dbs.ownerDb
    .select()
    .from(outbox)
    .where(and(eq(outbox.tenantId, city.id), isNull(outbox.relayedAt)));

describe("Redis outage", () => {
  it(
    "keeps taking bookings with Redis stopped, and relays every outbox row exactly once when it returns",
    { timeout: 90_000 },
    async () => {
      // Warm: one booking with Redis up, so the limiters and queues were connected before the outage.
      expect((await residentBooks(slotIds[0]!, "198.51.100.1")).ok).toBe(true);
      await stopRedis();
      const probe = new Redis(redisPort, "127.0.0.1", { lazyConnect: true, retryStrategy: () => null });
      probe.on("error", () => {});
      await expect(probe.connect()).rejects.toThrow();

      // Bookings, a cancellation and a staff invitation while Redis is down: all committed.
      const booked: string[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await residentBooks(slotIds[i % slotIds.length]!, `198.51.100.${10 + i}`);
        expect(r.ok, JSON.stringify(r)).toBe(true);
        if (r.ok) booked.push(r.reservation.id);
      }
      const cancelled = await cancelReservation(dbs.appDb, {
        tenantId: city.id,
        reservationId: booked[0]!,
        actor: { kind: "resident" },
      });
      expect(cancelled.ok).toBe(true);
      const vendor = await makeVendor(dbs.appDb);
      const invited = await createInvitation(dbs.appDb, key, {
        tenantId: city.id,
        email: `outage-${Date.now()}@city.example`,
        role: "operator",
        invitedBy: { kind: "vendor", id: vendor.user.id },
      });
      expect(invited.ok).toBe(true);
      const stored = await dbs.ownerDb
        .select({ id: reservations.id })
        .from(reservations)
        .where(eq(reservations.tenantId, city.id));
      expect(stored.map((r) => r.id)).toEqual(expect.arrayContaining(booked));
      const pending = await pendingRows();
      for (const id of booked)
        expect(pending.some((r) => r.payload.reservationId === id && r.jobName === "send-reservation-notice")).toBe(
          true,
        );
      expect(pending.some((r) => r.jobName === "send-staff-invitation")).toBe(true);

      // The ticket check's limits still hold in-process: 30 wrong birth dates from one address, then
      // even the right one from there is refused — while another address books normally.
      const ticketNumber = String(++ticket);
      await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1955-05-05" }]);
      for (let i = 0; i < 30; i++) {
        const wrong = await startFlow(dbs.appDb, {
          tenantId: city.id,
          ticketNumber,
          birthDate: "1955-05-06",
          serviceId,
          channel: "web",
          ip: "203.0.113.99",
        });
        expect(wrong.ok).toBe(false);
      }
      const blocked = await startFlow(dbs.appDb, {
        tenantId: city.id,
        ticketNumber,
        birthDate: "1955-05-05",
        serviceId,
        channel: "web",
        ip: "203.0.113.99",
      });
      expect(blocked).toMatchObject({ ok: false, message: IDENTITY_THROTTLED });

      // The relay cannot deliver now: rows are released, nothing is marked relayed.
      const before = (await pendingRows()).length;
      // However many passes fail during a long outage, the rows are due again within seconds, not
      // after an exponential back-off: the relay catches up as soon as Redis returns.
      for (let pass = 0; pass < 10; pass++) {
        await dbs.ownerDb
          .update(outbox)
          .set({ availableAt: sql`now()` })
          .where(and(eq(outbox.tenantId, city.id), isNull(outbox.relayedAt)));
        const down = await relayOutboxOnce(dbs.appDb, queues, { tenantId: city.id, batch: 1000 });
        expect(down.relayed).toBe(0);
      }
      const waiting = await pendingRows();
      expect(waiting.length).toBe(before);
      for (const r of waiting) {
        expect(r.attempts).toBeGreaterThanOrEqual(10);
        expect(r.availableAt.getTime() - Date.now()).toBeLessThanOrEqual(5_000);
        expect(r.lastError).toMatch(/redis|connection|closed|Stream/i);
      }

      // Redis returns (empty: --save ""); the relay catches up once the back-off has passed.
      await startRedis();
      const deadline = Date.now() + 30_000;
      while ((await pendingRows()).length > 0) {
        if (Date.now() > deadline) throw new Error(`outbox not drained: ${(await pendingRows()).length} rows left`);
        await relayOutboxOnce(dbs.appDb, queues, { tenantId: city.id, batch: 1000 });
        await new Promise((r) => setTimeout(r, 300));
      }
      const rows = await dbs.ownerDb.select().from(outbox).where(eq(outbox.tenantId, city.id));
      const jobIdOf = (r: (typeof rows)[number]) => `outbox-${city.id}-${r.id}`;
      for (const r of rows) {
        if (!isJobName(r.jobName)) throw new Error(`unknown job ${r.jobName}`);
        const job = await queues.queues[catalogue[r.jobName].queue].getJob(jobIdOf(r));
        expect(job, `job for outbox row ${r.id}`).toBeTruthy();
        expect(job!.name).toBe(r.jobName);
        expect(job!.data).toEqual(r.payload);
        // What producers wrote passes the job's strict schema (ids only, no extra fields).
        expect(catalogue[r.jobName].payload.safeParse(r.payload).success).toBe(true);
      }

      // A crash between add() and marking the rows relayed: the rows go out again, BullMQ keeps one job each.
      const countJobs = async () =>
        (
          await queues.queues.mail.getJobs(["waiting", "delayed", "prioritized", "active", "completed", "failed"])
        ).filter((j) => j?.id?.startsWith(`outbox-${city.id}-`)).length;
      const jobsBefore = await countJobs();
      expect(jobsBefore).toBe(rows.filter((r) => isJobName(r.jobName) && catalogue[r.jobName].queue === "mail").length);
      await dbs.ownerDb
        .update(outbox)
        .set({ relayedAt: null, availableAt: sql`now()` })
        .where(eq(outbox.tenantId, city.id));
      const again = await relayOutboxOnce(dbs.appDb, queues, { tenantId: city.id, batch: 1000 });
      expect(again.relayed).toBe(rows.length);
      expect(await countJobs()).toBe(jobsBefore);
    },
  );
});
