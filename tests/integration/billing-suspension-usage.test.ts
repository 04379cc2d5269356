import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, describe, expect, it } from "vitest";
import { vendorContext } from "~/tenants/context";
import { cityBilling, lineFriends, reservations, tenants, vendorAuditLog } from "#db/schema/index";
import { closeDb } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import {
  OPENING_RULES,
  reinstateCity,
  suspendForNonPayment,
  suspensionCheck,
} from "~/features/billing/suspension.server";
import { usageCsv, usageForMonth, usageReport } from "~/features/billing/usage.server";
import { recordUsage } from "~/features/usage/record.server";
import { residentClosure } from "~/tenants/resolve.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue, ticketNumbers } from "#tests/factories/reservations";
import { makeVendor } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Suspension for non-payment (only by a vendor, after the grace period, never during a booking
 * opening) and usage metering per city per Japan-time month. Billing states are arranged directly
 * in city_billing; the webhook path that sets them is covered in billing.test.ts.
 */

const dbs = testDbs();
afterAll(async () => {
  await closeDb(); // the routes use the app's pool
  await dbs.close();
});
const DAY = 86_400_000;

async function cityWithBilling(status: "active" | "past_due" | "unpaid", graceUntil: Date | null) {
  const city = await makeTenant(dbs.appDb);
  await withTenant(dbs.appDb, city.id, (tx) =>
    tx.insert(cityBilling).values({
      tenantId: city.id,
      billingEmail: "k@example.jp",
      status,
      graceUntil,
      pastDueSince: graceUntil ? new Date(graceUntil.getTime() - 30 * DAY) : null,
    }),
  );
  return city;
}

/** `n` reservations made `createdAgoMs` ago for a slot starting `startsInMs` from now. */
async function bookings(
  tenantId: string,
  n: number,
  opts: { createdAgoMs?: number; startsInMs?: number; at?: Date } = {},
) {
  const service = await makeService(dbs.appDb, tenantId);
  const venue = await makeVenue(dbs.appDb, tenantId);
  const slot = await makeSlot(dbs.appDb, tenantId, {
    venueId: venue.id,
    serviceId: service.id,
    startsAt: new Date(Date.now() + (opts.startsInMs ?? 2 * DAY)),
    webCapacity: 100,
  });
  const holders = await makeTicketHolders(
    dbs.appDb,
    tenantId,
    ticketNumbers(n, 3_000_000_000 + Math.floor(Math.random() * 1_000_000) * 100).map((t) => ({
      ticketNumber: t,
      birthDate: "1950-01-01",
    })),
  );
  const createdAt = opts.at ?? new Date(Date.now() - (opts.createdAgoMs ?? 3600_000));
  await withTenant(dbs.appDb, tenantId, (tx) =>
    tx.insert(reservations).values(
      holders.map((h, i) => ({
        tenantId,
        slotId: slot.id,
        serviceId: service.id,
        ticketHolderId: h.id,
        dose: 1,
        channel: "web" as const,
        quota: "web" as const,
        confirmationCode: `C${Date.now().toString(36).slice(-5)}${i}`.slice(0, 8),
        contactName: "テスト",
        idempotencyKey: `k-${slot.id}-${i}`,
        createdAt,
      })),
    ),
  );
}

describe("suspension for non-payment", () => {
  it("is refused while the city pays, and during the grace period", async () => {
    const paying = await cityWithBilling("active", null);
    const c1 = await suspensionCheck(dbs.appDb, paying.id);
    expect(c1.allowed).toBe(false);
    expect(c1.reasons.join()).toContain("支払いが滞っていない");

    const inGrace = await cityWithBilling("past_due", new Date(Date.now() + 5 * DAY));
    const c2 = await suspensionCheck(dbs.appDb, inGrace.id);
    expect(c2.allowed).toBe(false);
    expect(c2.reasons.join()).toContain("猶予期間中");
    const { user: vendor } = await makeVendor(dbs.appDb);
    expect(
      await suspendForNonPayment(
        dbs.appDb,
        { tenantId: inGrace.id, reason: "未払いが続いているため" },
        { vendorUserId: vendor.id },
      ),
    ).toMatchObject({ ok: false });
    const [t] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, inGrace.id));
    expect(t!.status).toBe("active");
  });

  it("is refused during a phased opening (a phase opened in the last days or opening soon)", async () => {
    const city = await cityWithBilling("unpaid", new Date(Date.now() - DAY));
    expect((await suspensionCheck(dbs.appDb, city.id)).allowed).toBe(true);
    await makeService(dbs.appDb, city.id, {
      phases: [{ minAge: 65, opensAt: new Date(Date.now() - 2 * DAY).toISOString() }],
    });
    const c = await suspensionCheck(dbs.appDb, city.id);
    expect(c.allowed).toBe(false);
    expect(c.opening.phaseOpensAt).toBeInstanceOf(Date);
    expect(c.reasons.join()).toContain("予約の受付が集中");
  });

  it("is refused when residents are booking now (at least the threshold in 24 hours for the coming days), not for a trickle", async () => {
    const city = await cityWithBilling("past_due", new Date(Date.now() - DAY));
    await bookings(city.id, OPENING_RULES.minBookings - 1);
    // Old bookings and bookings for slots far ahead are not an opening rush.
    await bookings(city.id, OPENING_RULES.minBookings, { createdAgoMs: 3 * DAY });
    await bookings(city.id, OPENING_RULES.minBookings, { startsInMs: (OPENING_RULES.aheadDays + 5) * DAY });
    const quiet = await suspensionCheck(dbs.appDb, city.id);
    expect(quiet.opening.recentBookings).toBe(OPENING_RULES.minBookings - 1);
    expect(quiet.allowed).toBe(true);
    await bookings(city.id, 1);
    const busy = await suspensionCheck(dbs.appDb, city.id);
    expect(busy.opening).toMatchObject({ inProgress: true, recentBookings: OPENING_RULES.minBookings });
    expect(busy.allowed).toBe(false);
  });

  it("after the grace period a vendor suspends with a reason (audited); residents see the polite page; reinstating reopens", async () => {
    const city = await cityWithBilling("past_due", new Date(Date.now() - DAY));
    const { user: vendor } = await makeVendor(dbs.appDb);
    expect(
      await suspendForNonPayment(
        dbs.appDb,
        { tenantId: city.id, reason: "3か月分の未払い（督促済み）" },
        { vendorUserId: vendor.id, ip: "192.0.2.1" },
      ),
    ).toEqual({ ok: true });
    const [t] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, city.id));
    expect(t!.status).toBe("suspended");
    expect(residentClosure(t!)?.message).toContain("現在ご利用いただけません");
    const audits = await dbs.ownerDb
      .select()
      .from(vendorAuditLog)
      .where(and(eq(vendorAuditLog.tenantId, city.id), eq(vendorAuditLog.action, "billing.suspend")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      vendorUserId: vendor.id,
      detail: { reason: "3か月分の未払い（督促済み）", billingStatus: "past_due" },
    });
    // A suspended city cannot be suspended again.
    expect(
      (
        await suspendForNonPayment(
          dbs.appDb,
          { tenantId: city.id, reason: "もう一度停止する" },
          { vendorUserId: vendor.id },
        )
      ).ok,
    ).toBe(false);

    expect(
      await reinstateCity(dbs.appDb, { tenantId: city.id, note: "入金確認" }, { vendorUserId: vendor.id }),
    ).toEqual({ ok: true });
    const [back] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, city.id));
    expect(back!.status).toBe("active");
    expect(
      await dbs.ownerDb
        .select()
        .from(vendorAuditLog)
        .where(and(eq(vendorAuditLog.tenantId, city.id), eq(vendorAuditLog.action, "billing.reinstate"))),
    ).toHaveLength(1);
  });
});

describe("the vendor's suspension form (route action)", () => {
  async function submit(tenantId: string, fields: Record<string, string>) {
    const { action } = await import("~/routes/vendor.cities.$tenantId.billing");
    const { user } = await makeVendor(dbs.appDb);
    const context = new RouterContextProvider();
    context.set(vendorContext, { user, sessionId: "s" });
    const body = new URLSearchParams(fields);
    const request = new Request(`http://x/vendor/cities/${tenantId}/billing`, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    return action({ request, params: { tenantId }, context } as never);
  }

  it("needs a reason and the confirmation, then suspends; refused reasons come back as one message", async () => {
    const city = await cityWithBilling("past_due", new Date(Date.now() - DAY));
    const noConfirm = await submit(city.id, { intent: "suspend", reason: "未払いが3か月" });
    expect(noConfirm).toMatchObject({
      ok: false,
      errors: { confirm: "停止の内容を確認し、チェックを入れてください。" },
      values: { reason: "未払いが3か月" },
    });
    expect(await submit(city.id, { intent: "suspend", reason: "短い", confirm: "yes" })).toMatchObject({
      ok: false,
      errors: { reason: expect.stringContaining("5文字以上") },
    });
    const [still] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, city.id));
    expect(still!.status).toBe("active");
    expect(
      await submit(city.id, { intent: "suspend", reason: "未払いが3か月続いているため", confirm: "yes" }),
    ).toMatchObject({ ok: true });
    const [done] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, city.id));
    expect(done!.status).toBe("suspended");
    expect(await submit(city.id, { intent: "reinstate", note: "入金確認" })).toMatchObject({ ok: true });

    const paying = await cityWithBilling("active", null);
    const refused = await submit(paying.id, {
      intent: "suspend",
      reason: "未払いが3か月続いているため",
      confirm: "yes",
    });
    expect(refused).toMatchObject({ ok: false, errors: { _form: expect.stringContaining("支払いが滞っていない") } });
  });
});

describe("the vendor's city page (generic 状態 section)", () => {
  const context = async () => {
    const { user } = await makeVendor(dbs.appDb);
    const c = new RouterContextProvider();
    c.set(vendorContext, { user, sessionId: "s" });
    return c;
  };
  const url = (tenantId: string) => `http://x/vendor/cities/${tenantId}`;
  async function load(tenantId: string) {
    const { loader } = await import("~/routes/vendor.cities.$tenantId");
    return loader({ request: new Request(url(tenantId)), params: { tenantId }, context: await context() } as never);
  }
  async function post(tenantId: string, fields: Record<string, string>) {
    const { action } = await import("~/routes/vendor.cities.$tenantId");
    const request = new Request(url(tenantId), {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    return action({ request, params: { tenantId }, context: await context() } as never);
  }
  const status = async (tenantId: string) =>
    (await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, tenantId)))[0]!.status;
  const suspendAudits = (tenantId: string) =>
    dbs.ownerDb
      .select()
      .from(vendorAuditLog)
      .where(and(eq(vendorAuditLog.tenantId, tenantId), eq(vendorAuditLog.action, "tenant.status.suspended")));

  it("shows the billing rules' own reasons, and its suspend request is refused with them (grace period, paying city, booking opening)", async () => {
    const inGrace = await cityWithBilling("past_due", new Date(Date.now() + 5 * DAY));
    const paying = await cityWithBilling("active", null);
    const opening = await cityWithBilling("unpaid", new Date(Date.now() - DAY));
    await makeService(dbs.appDb, opening.id, {
      phases: [{ minAge: 65, opensAt: new Date(Date.now() + DAY).toISOString() }],
    });
    for (const [city, why] of [
      [inGrace, "猶予期間中"],
      [paying, "支払いが滞っていない"],
      [opening, "予約の受付が集中"],
    ] as const) {
      const page = await load(city.id);
      expect(page.suspension).toEqual({ allowed: false, reasons: (await suspensionCheck(dbs.appDb, city.id)).reasons });
      expect(page.suspension!.reasons.join()).toContain(why);
      const refused = await post(city.id, { intent: "suspend" });
      expect(refused).toMatchObject({
        ok: false,
        errors: { _form: expect.stringMatching(new RegExp(`^利用を停止できません。.*${why}`)) },
      });
      expect(await status(city.id)).toBe("active");
      expect(await suspendAudits(city.id)).toHaveLength(0);
    }
  });

  it("even when the rules allow it, a bare status switch is refused: suspension goes through the billing page's reason and confirmation", async () => {
    const city = await cityWithBilling("past_due", new Date(Date.now() - DAY));
    expect((await load(city.id)).suspension).toEqual({ allowed: true, reasons: [] });
    expect(await post(city.id, { intent: "suspend" })).toMatchObject({
      ok: false,
      errors: { _form: "利用の停止は「請求と利用状況」のページで、停止の理由を入力して行ってください。" },
    });
    expect(await status(city.id)).toBe("active");
    expect(await suspendAudits(city.id)).toHaveLength(0);

    // Through suspendForNonPayment (the billing page) it is suspended; the city page then offers resuming.
    const { user: vendor } = await makeVendor(dbs.appDb);
    expect(
      await suspendForNonPayment(
        dbs.appDb,
        { tenantId: city.id, reason: "未払いが3か月続いているため" },
        { vendorUserId: vendor.id },
      ),
    ).toEqual({ ok: true });
    expect((await load(city.id)).suspension).toBeNull();
    expect(await post(city.id, { intent: "resume" })).toMatchObject({ ok: true });
    expect(await status(city.id)).toBe("active");
  });
});

describe("usage metering per city per month", () => {
  it("counts friends at the month's end, reservations by Japan-time month, and the recorded LINE messages and broadcasts", async () => {
    const city = await makeTenant(dbs.appDb);
    const other = await makeTenant(dbs.appDb);
    const jst = (s: string) => new Date(`${s}+09:00`);
    await withTenant(dbs.appDb, city.id, async (tx) => {
      await tx.insert(lineFriends).values([
        { tenantId: city.id, lineUserId: "U1", status: "following", followedAt: jst("2025-12-15T10:00:00") },
        {
          tenantId: city.id,
          lineUserId: "U2",
          status: "blocked",
          followedAt: jst("2026-01-10T10:00:00"),
          blockedAt: jst("2026-02-05T10:00:00"),
        },
        {
          tenantId: city.id,
          lineUserId: "U3",
          status: "blocked",
          followedAt: jst("2026-01-05T10:00:00"),
          blockedAt: jst("2026-01-20T10:00:00"),
        },
        { tenantId: city.id, lineUserId: "U4", status: "following", followedAt: jst("2026-02-03T10:00:00") },
      ]);
      await recordUsage(tx, city.id, "line_messages", 120, jst("2026-01-31T23:59:00"));
      await recordUsage(tx, city.id, "line_messages", 5, jst("2026-02-01T00:01:00"));
      await recordUsage(tx, city.id, "broadcasts", 2, jst("2026-01-15T09:00:00"));
    });
    await bookings(city.id, 2, { at: jst("2026-01-31T23:30:00") });
    await bookings(city.id, 1, { at: jst("2026-02-01T00:10:00") });
    await withTenant(dbs.appDb, other.id, (tx) =>
      recordUsage(tx, other.id, "line_messages", 999, jst("2026-01-10T00:00:00")),
    );

    const [jan] = await usageForMonth(dbs.appDb, "2026-01-01", city.id);
    expect(jan).toEqual({ tenantId: city.id, friends: 2, reservations: 2, lineMessages: 120, broadcasts: 2 });
    const [feb] = await usageForMonth(dbs.appDb, "2026-02-01", city.id);
    expect(feb).toMatchObject({ friends: 2, reservations: 1, lineMessages: 5, broadcasts: 0 });

    const all = await usageReport(dbs.appDb, "2026-01-01");
    expect(all.find((r) => r.tenantId === other.id)).toMatchObject({ lineMessages: 999, friends: 0 });
    expect(all.find((r) => r.tenantId === city.id)).toMatchObject({ name: city.name, lineMessages: 120 });

    const bytes = usageCsv(
      "2026-01-01",
      all.filter((r) => r.tenantId === city.id),
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.split("\r\n")[0]).toBe(
      "対象月,自治体,URL用の名前,LINE友だち数,LINE送信数（受信者数）,予約数,一斉配信数",
    );
    expect(text.split("\r\n")[1]).toBe(`2026-01,${city.name},${city.slug},2,120,2,2`);
  });

  it("the vendor's CSV route answers a file for a month and sends a bad month back to the page", async () => {
    const { loader } = await import("~/routes/vendor.usage.export");
    const ok = (await loader({
      request: new Request("http://x/vendor/usage/export?month=2026-01"),
      params: {},
      context: {},
    } as never)) as Response;
    expect(ok.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(ok.headers.get("content-disposition")).toContain("usage_all_2026-01.csv");
    expect([...new Uint8Array(await ok.arrayBuffer()).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const sjis = (await loader({
      request: new Request("http://x/vendor/usage/export?month=2026-01&encoding=shift_jis"),
      params: {},
      context: {},
    } as never)) as Response;
    expect(sjis.headers.get("content-type")).toBe("text/csv; charset=Shift_JIS");
    const bad = (await loader({
      request: new Request("http://x/vendor/usage/export?month=2026-13"),
      params: {},
      context: {},
    } as never)) as Response;
    expect(bad.status).toBe(302);
  });
});
