import { eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reservations, type Tenant } from "#db/schema/index";
import { lineIdentityCookie } from "~/features/liff/identity.server";
import {
  bookFromFlow,
  linkFlowToLine,
  mineCookie,
  readMine,
  startFlow,
  type FlowState,
} from "~/features/reservations/resident-flow.server";
import { closeRedis } from "~/lib/redis.server";
import * as reservationPage from "~/routes/c.$city.reservation";
import { tenantContext } from "~/tenants/context";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * "My reservation" through the LINE link: a verified LINE user sees the reservations linked to them
 * without the ticket number and can open one to change or cancel it; a holder who passed the ticket
 * check can link or unlink their reservations. Driven through the route module, as the browser does.
 */
const dbs = testDbs();
let city: Tenant;
let other: Tenant;
let serviceId: string;
let venueId: string;
let ticket = 3_300_000_000;
let day = 3;
const U1 = `U${"a1".repeat(16)}`;
const U2 = `U${"b2".repeat(16)}`;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "LINE確認テスト市" });
  other = await makeTenant(dbs.appDb, { name: "LINE確認よそ市" });
  serviceId = (await makeService(dbs.appDb, city.id)).id;
  venueId = (await makeVenue(dbs.appDb, city.id, { name: "北会館" })).id;
});
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

async function holderBooking(lineUserId: string | null) {
  const ticketNumber = String(++ticket);
  await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
  const start = await startFlow(dbs.appDb, {
    tenantId: city.id,
    ticketNumber,
    birthDate: "1950-04-01",
    channel: "web",
    ip: `10.9.0.${ticket % 250}`,
  });
  if (!start.ok) throw new Error(start.message);
  const base: FlowState = {
    ...start.state,
    contact: { name: "x", phone: "0312345678", email: "" },
    exp: Date.now() + 60_000,
  };
  const s = await makeSlot(dbs.appDb, city.id, {
    venueId,
    serviceId,
    startsAt: new Date(Date.now() + day++ * 24 * 3600_000),
  });
  const r = await bookFromFlow(dbs.appDb, {
    tenantId: city.id,
    state: lineUserId ? linkFlowToLine(base, lineUserId) : base,
    slotId: s.id,
    idempotencyKey: crypto.randomUUID(),
    ip: "10.9.1.1",
  });
  if (!r.ok) throw new Error(r.message);
  return {
    reservationId: r.reservation.id,
    code: r.reservation.confirmationCode,
    ticketHolderId: start.state.ticketHolderId,
  };
}

function args(tenant: Tenant, request: Request) {
  const context = new RouterContextProvider();
  context.set(tenantContext, tenant);
  return { request, context, params: { city: tenant.slug }, unstable_pattern: "" } as never;
}
const lineCookie = (userId: string, tenant = city) => lineIdentityCookie(tenant, { lineUserId: userId }).split(";")[0]!;
/** The loader's page data (it answers with data(…) to refresh the "mine" cookie). */
async function page(cookies: string[], tenant = city) {
  const out = await reservationPage.loader(
    args(
      tenant,
      new Request(`http://madoguchi.test/c/${tenant.slug}/reservation`, { headers: { cookie: cookies.join("; ") } }),
    ),
  );
  return "data" in out ? out.data : out;
}
const post = async (cookies: string[], fields: Record<string, string>) =>
  reservationPage.action(
    args(
      city,
      new Request(`http://madoguchi.test/c/${city.slug}/reservation`, {
        method: "POST",
        headers: { cookie: cookies.join("; "), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      }),
    ),
  );

describe("my reservation with a verified LINE identity", () => {
  it("lists only this LINE user's linked reservations, without the ticket number", async () => {
    const a = await holderBooking(U1);
    const b = await holderBooking(U1);
    await holderBooking(U2);
    await holderBooking(null);
    const mine = await page([lineCookie(U1)]);
    expect(mine.reservations).toBeNull();
    expect(mine.linked?.map((r) => r.confirmationCode).sort()).toEqual([a.code, b.code].sort());
    expect(mine.linked?.[0]).toMatchObject({ channel: "line", venue: { name: "北会館" }, changeable: true });
    // Without the cookie, or with this city's cookie in another city: nothing.
    expect((await page([])).linked).toBeNull();
    expect((await page([lineCookie(U1)], other)).linked).toBeNull();
  });

  it("opens a linked reservation's change page as its holder, and refuses someone else's", async () => {
    const a = await holderBooking(U1);
    const res = (await post([lineCookie(U1)], {
      intent: "open-linked",
      reservationId: a.reservationId,
      to: "cancel",
    })) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/c/${city.slug}/reservation/${a.reservationId}/cancel`);
    const mine = readMine(
      new Request("http://madoguchi.test/", { headers: { cookie: res.headers.get("set-cookie")!.split(";")[0]! } }),
      city,
    );
    expect(mine?.ticketHolderId).toBe(a.ticketHolderId);

    const refused = await post([lineCookie(U2)], {
      intent: "open-linked",
      reservationId: a.reservationId,
      to: "change",
    });
    expect(refused).toMatchObject({ ok: false });
    expect(await post([], { intent: "open-linked", reservationId: a.reservationId, to: "change" })).toMatchObject({
      ok: false,
    });
  });

  it("a holder who passed the ticket check links a web reservation to LINE and can unlink it; another account's link is not taken over", async () => {
    const web = await holderBooking(null);
    const holder = mineCookie(city, { ticketHolderId: web.ticketHolderId }).split(";")[0]!;
    const before = await page([holder, lineCookie(U2)]);
    expect(before.reservations?.[0]).toMatchObject({ id: web.reservationId, line: "none" });
    expect(before.lineIdentified).toBe(true);

    const linked = (await post([holder, lineCookie(U2)], {
      intent: "link-line",
      reservationId: web.reservationId,
    })) as Response;
    expect(linked.headers.get("location")).toBe(`/c/${city.slug}/reservation?done=linked`);
    let [row] = await dbs.ownerDb.select().from(reservations).where(eq(reservations.id, web.reservationId));
    expect(row).toMatchObject({ lineUserId: U2, channel: "web" });
    expect((await page([holder, lineCookie(U2)])).reservations?.[0]?.line).toBe("mine");
    expect((await page([holder, lineCookie(U1)])).reservations?.[0]?.line).toBe("other");

    // U1 may not silently take over U2's link; the holder can unlink first.
    expect(
      await post([holder, lineCookie(U1)], { intent: "link-line", reservationId: web.reservationId }),
    ).toMatchObject({ ok: false });
    const unlinked = (await post([holder], { intent: "unlink-line", reservationId: web.reservationId })) as Response;
    expect(unlinked.headers.get("location")).toBe(`/c/${city.slug}/reservation?done=unlinked`);
    [row] = await dbs.ownerDb.select().from(reservations).where(eq(reservations.id, web.reservationId));
    expect(row!.lineUserId).toBeNull();
    // Linking needs the ticket check: a LINE identity alone cannot claim a holder's reservation.
    expect(await post([lineCookie(U1)], { intent: "link-line", reservationId: web.reservationId })).toMatchObject({
      ok: false,
    });
  });

  it("the LINE user can unlink their own linked reservation without the ticket number, but not another's", async () => {
    const a = await holderBooking(U1);
    expect(await post([lineCookie(U2)], { intent: "unlink-line", reservationId: a.reservationId })).toMatchObject({
      ok: false,
    });
    expect(
      ((await post([lineCookie(U1)], { intent: "unlink-line", reservationId: a.reservationId })) as Response).status,
    ).toBe(302);
    expect((await page([lineCookie(U1)])).linked?.map((r) => r.id)).not.toContain(a.reservationId);
  });
});
