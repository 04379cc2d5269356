import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, reservationLinks, type Tenant } from "#db/schema/index";
import { lineIdentityCookie } from "~/features/liff/identity.server";
import { LINK_ANSWER, LINK_INVALID, LINK_MIN_MS } from "~/features/reservations/access-link.server";
import { IDENTITY_THROTTLED, verifyTicketHolder } from "~/features/reservations/identity.server";
import {
  bookFromFlow,
  linkFlowToLine,
  readMine,
  startFlow,
  type FlowState,
} from "~/features/reservations/resident-flow.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import * as reservationPage from "~/routes/c.$city.reservation";
import * as cancelPage from "~/routes/c.$city.reservation.$id.cancel";
import * as linkPage from "~/routes/c.$city.reservation.link";
import * as openPage from "~/routes/c.$city.reservation.open.$token";
import { tenantContext } from "~/tenants/context";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { clearMailbox, readMailbox, startSmtpCapture } from "#tests/fakes/smtp-capture";
import { testDbs } from "#tests/setup/db";
import { relayAndProcess } from "#tests/setup/jobs";

/**
 * No lockout by a stranger (issue 12.6, ADR 027): 100 wrong birth dates for a ticket number lock
 * it — the attacker stays out, and so does anyone who has only the ticket number — but the owner
 * gets through with a verified LINE identity linked to the booking, or with a one-time link mailed
 * to the address on the booking. Driven through the route modules, the mail by the real worker.
 */
const dbs = testDbs();
const key = masterKey(env().MADOGUCHI_MASTER_KEY);
const mailDir = mkdtempSync(join(tmpdir(), "mdg-no-lockout-"));
let smtp: { port: number; close(): Promise<void> };
let city: Tenant;
let serviceId: string;
let venueId: string;
let ticket = 3_700_000_000;
let day = 3;
const U1 = `U${"c3".repeat(16)}`;

beforeAll(async () => {
  smtp = await startSmtpCapture({ port: 0, dir: mailDir });
  city = await makeTenant(dbs.appDb, { name: "締め出しテスト市" });
  serviceId = (await makeService(dbs.appDb, city.id)).id;
  venueId = (await makeVenue(dbs.appDb, city.id, { name: "南会館" })).id;
});
afterAll(async () => {
  await smtp.close();
  await closeRedis();
  await dbs.close();
  rmSync(mailDir, { recursive: true, force: true });
});

/** A booking of a fresh ticket holder, with an e-mail address and optionally linked to LINE. */
async function holderBooking(opts: { email: string; lineUserId?: string }) {
  const ticketNumber = String(++ticket);
  await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
  const start = await startFlow(dbs.appDb, {
    tenantId: city.id,
    ticketNumber,
    birthDate: "1950-04-01",
    channel: "web",
    ip: "192.0.2.1",
  });
  if (!start.ok) throw new Error(start.message);
  const base: FlowState = {
    ...start.state,
    contact: { name: "x", phone: "0312345678", email: opts.email },
    exp: Date.now() + 60_000,
  };
  const s = await makeSlot(dbs.appDb, city.id, {
    venueId,
    serviceId,
    startsAt: new Date(Date.now() + day++ * 24 * 3600_000),
  });
  const r = await bookFromFlow(dbs.appDb, {
    tenantId: city.id,
    state: opts.lineUserId ? linkFlowToLine(base, opts.lineUserId) : base,
    slotId: s.id,
    idempotencyKey: crypto.randomUUID(),
    ip: "192.0.2.1",
  });
  if (!r.ok) throw new Error(r.message);
  return { ticketNumber, reservationId: r.reservation.id, ticketHolderId: start.state.ticketHolderId };
}

/** A stranger with the ticket number: 100 wrong birth dates within the hour, from 100 addresses. */
async function lockOut(ticketNumber: string) {
  for (let i = 0; i < 100; i++) {
    const r = await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber,
      birthDate: `19${String(10 + (i % 80)).padStart(2, "0")}-01-0${1 + (i % 9)}`,
      ip: `198.51.${Math.floor(i / 250)}.${i % 250}`,
    });
    expect(r).toMatchObject({ ok: false, reason: "invalid" });
  }
  // Still locked for the attacker, from yet another address, even with the right birth date.
  expect(
    await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber,
      birthDate: "1950-04-01",
      ip: "203.0.113.99",
    }),
  ).toMatchObject({ ok: false, reason: "throttled", message: IDENTITY_THROTTLED });
}

function args(request: Request, params: Record<string, string> = {}) {
  const context = new RouterContextProvider();
  context.set(tenantContext, city);
  return { request, context, params: { city: city.slug, ...params }, unstable_pattern: "" } as never;
}
const form = (path: string, fields: Record<string, string>, cookie = "") =>
  new Request(`http://madoguchi.test/c/${city.slug}${path}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
const cookieOf = (res: Response) => res.headers.get("set-cookie")!.split(";")[0]!;

describe("a ticket number locked by a stranger", () => {
  it("the message says where the owner can still go, with the call to the city in one place", () => {
    expect(IDENTITY_THROTTLED).toContain("LINE");
    expect(IDENTITY_THROTTLED).toContain("メールで予約を確認する");
    expect(IDENTITY_THROTTLED).toContain("市役所の窓口にお電話ください");
  });

  it("the owner passes with a verified LINE identity linked to the booking: opens, then cancels it", async () => {
    const b = await holderBooking({ email: "", lineUserId: U1 });
    await lockOut(b.ticketNumber);
    const line = lineIdentityCookie(city, { lineUserId: U1 }).split(";")[0]!;
    const opened = (await reservationPage.action(
      args(form("/reservation", { intent: "open-linked", reservationId: b.reservationId, to: "cancel" }, line)),
    )) as Response;
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`/c/${city.slug}/reservation/${b.reservationId}/cancel`);
    const mine = cookieOf(opened);
    const cancelled = (await cancelPage.action(
      args(form(`/reservation/${b.reservationId}/cancel`, {}, mine), { id: b.reservationId }),
    )) as Response;
    expect(cancelled.status).toBe(302);
    expect(cancelled.headers.get("location")).toContain("done=cancelled");
    // Another LINE user gets nothing from the same request.
    const stranger = lineIdentityCookie(city, { lineUserId: `U${"d4".repeat(16)}` }).split(";")[0]!;
    const refused = await reservationPage.action(
      args(form("/reservation", { intent: "open-linked", reservationId: b.reservationId }, stranger)),
    );
    expect(refused).toMatchObject({ ok: false });
  });

  it("the owner passes with a one-time link mailed to the address on the booking; a stranger's guess gets the same answer and no mail", async () => {
    const b = await holderBooking({ email: "Owner.Hanako@example.jp" });
    await lockOut(b.ticketNumber);
    await clearMailbox(mailDir);

    const ask = async (ticketNumber: string, email: string) => {
      const started = Date.now();
      const out = (await linkPage.action(args(form("/reservation/link", { ticketNumber, email })))) as {
        ok: boolean;
        sent?: { ok: boolean; message: string };
      };
      return { out, ms: Date.now() - started };
    };
    const wrong = await ask(b.ticketNumber, "someone.else@example.jp");
    const unknown = await ask("３７９９９９９９９９", "owner.hanako@example.jp");
    const right = await ask(b.ticketNumber, "owner.hanako@example.jp"); // case does not matter
    for (const r of [wrong, unknown, right]) {
      expect(r.out).toEqual({ ok: true, sent: { ok: true, message: LINK_ANSWER } });
      expect(r.ms).toBeGreaterThanOrEqual(LINK_MIN_MS - 5);
    }
    const rows = await dbs.ownerDb
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, city.id), eq(outbox.jobName, "send-reservation-link")));
    expect(rows).toHaveLength(1);
    // Ids only in the job: no ticket number, no address, no token.
    expect(JSON.stringify(rows[0]!.payload)).not.toMatch(/3700|hanako|@/i);

    await relayAndProcess(dbs.appDb, { smtpPort: smtp.port, key, tenantId: city.id });
    // (The booking's own confirmation went out in the same run.)
    const mails = (await readMailbox(mailDir)).filter((m) => m.subject.includes("予約の確認・変更用のリンク"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(["Owner.Hanako@example.jp"]);
    expect(mails[0]!.subject).toBe("【締め出しテスト市】予約の確認・変更用のリンク");
    const url = new RegExp(`http://madoguchi.test/c/${city.slug}/reservation/open/([a-z2-7]{32})`).exec(mails[0]!.text);
    expect(url).not.toBeNull();
    const token = url![1]!;

    // Opening the page spends nothing (a mail scanner may fetch it); the press does, once.
    await openPage.loader(args(new Request(`http://madoguchi.test/c/${city.slug}/reservation/open/${token}`)));
    const open = () => openPage.action(args(form(`/reservation/open/${token}`, {}), { token }));
    const first = (await open()) as Response;
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`/c/${city.slug}/reservation`);
    const mine = readMine(new Request("http://madoguchi.test/", { headers: { cookie: cookieOf(first) } }), city);
    expect(mine?.ticketHolderId).toBe(b.ticketHolderId);
    expect(await open()).toEqual({ ok: false, message: LINK_INVALID });
    expect(await openPage.action(args(form("/reservation/open/x", {}), { token: "a".repeat(32) }))).toMatchObject({
      ok: false,
    });
  });

  it("more than three link requests an hour for one ticket send no more mail", async () => {
    const b = await holderBooking({ email: "many@example.jp" });
    for (let i = 0; i < 5; i++)
      expect(
        await linkPage.action(
          args(form("/reservation/link", { ticketNumber: b.ticketNumber, email: "many@example.jp" })),
        ),
      ).toMatchObject({ ok: true, sent: { ok: true } });
    const links = await dbs.ownerDb
      .select()
      .from(reservationLinks)
      .where(eq(reservationLinks.ticketHolderId, b.ticketHolderId));
    expect(links).toHaveLength(3);
  });

  it("bad input gets a polite error and writes nothing", async () => {
    const r = (await linkPage.action(
      args(form("/reservation/link", { ticketNumber: "12", email: "not-an-address" })),
    )) as {
      ok: boolean;
      errors: Record<string, string>;
    };
    expect(r.ok).toBe(false);
    expect(r.errors.ticketNumber).toContain("10桁");
    expect(r.errors.email).toContain("形式");
  });
});
