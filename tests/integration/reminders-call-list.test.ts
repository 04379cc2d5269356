import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, reminderSends, type Slot, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { sendReminder } from "#jobs/processors/reminders/send-reminder";
import { recordBlock, recordFollow } from "~/features/line/friends.server";
import { CALL_MESSAGES } from "~/features/reminders/call-list.server";
import { dueAt } from "~/features/reminders/rules";
import { sweepReminders } from "~/features/reminders/sweep.server";
import { bookSlot } from "~/features/reservations/booking.server";
import { cancelReservation } from "~/features/reservations/change-cancel.server";
import { tokyoDateOf } from "~/lib/japan-time";
import type { Mailer } from "~/integrations/mail.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import * as page from "~/routes/c.$city.admin.reminders";
import { staffContext, tenantContext } from "~/tenants/context";
import { makeLineChannel } from "#tests/factories/line";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The staff call list (/c/:city/admin/reminders): who must be phoned because neither LINE nor
 * e-mail reaches them, by the day their reminder falls on; 電話済み recorded and audited; analysts
 * refused. The page is driven through its route module, as React Router calls it.
 */
const dbs = testDbs();
const key = masterKey(env().MADOGUCHI_MASTER_KEY);
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const DAY_BEFORE = { kind: "days-before", days: 1, at: "10:00" } as const;

let city: Tenant;
let slot: Slot;
let operator: Awaited<ReturnType<typeof makeStaff>>;
let analyst: Awaited<ReturnType<typeof makeStaff>>;
let ticket = 5_300_000_000;
const ids: Record<string, string> = {};
let day: string; // the Japanese day on which the day-before reminder falls
let sessionDay: string;

async function book(who: {
  name: string;
  email?: string;
  lineUserId?: string;
  channel?: "web" | "line" | "phone";
  proxyNote?: string;
}) {
  const [holder] = await makeTicketHolders(dbs.appDb, city.id, [
    { ticketNumber: String(++ticket), birthDate: "1945-05-05" },
  ]);
  const r = await bookSlot(dbs.appDb, {
    tenantId: city.id,
    slotId: slot.id,
    ticketHolderId: holder!.id,
    channel: who.channel ?? "phone",
    contact: { name: who.name, phone: "073-111-2222", email: who.email ?? "" },
    lineUserId: who.lineUserId ?? null,
    bookedByStaffId: who.channel === "phone" || !who.channel ? operator.user.id : null,
    proxyNote: who.proxyNote ?? null,
    idempotencyKey: crypto.randomUUID(),
  });
  if (!r.ok) throw new Error(r.message);
  return r.reservation.id;
}

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "電話リスト市" });
  await makeLineChannel(dbs.appDb, key, city.id);
  operator = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator", displayName: "窓口 次郎" });
  analyst = await makeStaff(dbs.appDb, { tenantId: city.id, role: "analyst" });
  const service = await makeService(dbs.appDb, city.id);
  const venue = await makeVenue(dbs.appDb, city.id, { name: "北保健センター" });
  const tokyoToday = Math.floor((Date.now() + 9 * HOUR) / DAY) * DAY - 9 * HOUR;
  slot = await makeSlot(dbs.appDb, city.id, {
    venueId: venue.id,
    serviceId: service.id,
    startsAt: new Date(tokyoToday + 5 * DAY + 9.5 * HOUR),
  });
  day = tokyoDateOf(dueAt(DAY_BEFORE, slot.startsAt));
  sessionDay = tokyoDateOf(slot.startsAt);

  ids.phone = await book({ name: "電話 太郎", proxyNote: "長女が代理で電話" });
  ids.mail = await book({ name: "メール 花子", email: "mail@example.jp", channel: "web" });
  const following = "U" + "f".repeat(32);
  const blocked = "U" + "b".repeat(32);
  await withTenant(dbs.appDb, city.id, async (tx) => {
    await recordFollow(tx, city.id, following, new Date());
    await recordFollow(tx, city.id, blocked, new Date());
    await recordBlock(tx, city.id, blocked, new Date());
  });
  ids.line = await book({ name: "LINE 三郎", lineUserId: following, channel: "line" });
  ids.blocked = await book({ name: "ブロック 四郎", lineUserId: blocked, channel: "line" });
  ids.cancelled = await book({ name: "取消 五郎" });
  await cancelReservation(dbs.appDb, { tenantId: city.id, reservationId: ids.cancelled, actor: { kind: "resident" } });
});
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

function context(staff = operator) {
  const c = new RouterContextProvider();
  c.set(tenantContext, city);
  c.set(staffContext, { user: staff.user, membership: staff.membership, sessionId: "s" });
  return c;
}
const url = (q = "") => `http://madoguchi.test/c/${city.slug}/admin/reminders${q}`;
const load = (q: string, staff = operator) =>
  page.loader({
    request: new Request(url(q)),
    context: context(staff),
    params: { city: city.slug },
    unstable_pattern: "",
  } as never);
const post = (form: Record<string, string>, staff = operator) =>
  page.action({
    request: new Request(url(), { method: "POST", body: new URLSearchParams(form) }),
    context: context(staff),
    params: { city: city.slug },
    unstable_pattern: "",
  } as never);
const audits = (action: string) =>
  dbs.ownerDb
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, action)));

describe("the call list", () => {
  it("lists, for the day a reminder falls on, only the residents neither LINE nor e-mail reaches; the view is audited", async () => {
    const before = (await audits("reminder-call-list.view")).length;
    const list = await load(`?date=${day}`);
    expect(list.error).toBeNull();
    expect(list.rows.map((r) => [r.ruleLabel, r.venueName])).toEqual([
      ["前日 10:00", "北保健センター"],
      ["前日 10:00", "北保健センター"],
    ]);
    expect(new Set(list.rows.map((r) => r.contactName))).toEqual(new Set(["電話 太郎", "ブロック 四郎"]));
    const phone = list.rows.find((r) => r.reservationId === ids.phone)!;
    expect(phone).toMatchObject({
      contactPhone: "073-111-2222",
      proxyNote: "長女が代理で電話",
      startsAt: slot.startsAt,
      dueAt: dueAt(DAY_BEFORE, slot.startsAt),
      calledAt: null,
    });
    const views = await audits("reminder-call-list.view");
    expect(views).toHaveLength(before + 1);
    expect(views.at(-1)).toMatchObject({ actorId: operator.user.id, detail: { date: day, count: 2 } });

    // The session day itself carries the 2-hours-before reminders; the day before that, nothing.
    expect((await load(`?date=${sessionDay}`)).rows.map((r) => [r.contactName, r.ruleLabel]).sort()).toEqual([
      ["ブロック 四郎", "2時間前"],
      ["電話 太郎", "2時間前"],
    ]);
    const earlier = tokyoDateOf(new Date(dueAt(DAY_BEFORE, slot.startsAt).getTime() - DAY));
    expect((await load(`?date=${earlier}`)).rows).toEqual([]);
  });

  it("shows today without a date, and refuses a date that does not exist, politely", async () => {
    expect((await load("")).date).toBe(tokyoDateOf(new Date()));
    const bad = await load("?date=2026-02-30");
    expect(bad.error).toBe("日付を正しく選択してください。");
    expect(bad.rows).toEqual([]);
  });

  it("refuses analysts (names and phone numbers are for admins and operators)", async () => {
    const refusal = await Promise.resolve()
      .then(() => load(`?date=${day}`, analyst))
      .catch((e: unknown) => e);
    expect((refusal as { init?: { status?: number } }).init?.status).toBe(403);
    const postRefusal = await Promise.resolve()
      .then(() =>
        post({ date: day, reservationId: ids.phone!, slotId: slot.id, rule: "d1-1000", intent: "called" }, analyst),
      )
      .catch((e: unknown) => e);
    expect((postRefusal as { init?: { status?: number } }).init?.status).toBe(403);
  });
});

describe("電話済み", () => {
  it("records who phoned and when (audited); the sweep then leaves that reminder alone; undo works", async () => {
    const res = await post({
      date: day,
      reservationId: ids.phone!,
      slotId: slot.id,
      rule: "d1-1000",
      intent: "called",
    });
    expect(res).toMatchObject({ ok: true });
    const [row] = await dbs.ownerDb
      .select()
      .from(reminderSends)
      .where(and(eq(reminderSends.reservationId, ids.phone!), eq(reminderSends.ruleKey, "d1-1000")));
    expect(row).toMatchObject({ status: "sent", channel: "call-list", calledByStaffId: operator.user.id });
    expect(row!.calledAt).toBeInstanceOf(Date);
    expect((await audits("reminder.called")).at(-1)).toMatchObject({
      actorId: operator.user.id,
      targetId: ids.phone,
      detail: { rule: "d1-1000", slotId: slot.id, date: day },
    });
    const shown = (await load(`?date=${day}`)).rows.find((r) => r.reservationId === ids.phone)!;
    expect(shown.calledBy).toBe("窓口 次郎");

    // At 10:00 the sweep queues only the resident not yet phoned; its job records the call list, sends nothing.
    const sent: unknown[] = [];
    const mailer: Mailer = { send: async (m) => (sent.push(m), { messageId: "x" }), close() {} };
    expect(await sweepReminders(dbs.appDb, dueAt(DAY_BEFORE, slot.startsAt), { tenantIds: [city.id] })).toMatchObject({
      queued: 3,
    });
    const queued = await dbs.ownerDb
      .select()
      .from(reminderSends)
      .where(and(eq(reminderSends.tenantId, city.id), eq(reminderSends.status, "queued")));
    expect(queued.map((q) => q.reservationId).sort()).toEqual([ids.mail, ids.line, ids.blocked].sort());
    const blockedRow = queued.find((q) => q.reservationId === ids.blocked)!;
    expect(
      await sendReminder(
        { db: dbs.appDb, mailer, key, appOrigin: "http://madoguchi.test" },
        { tenantId: city.id, reminderId: blockedRow.id },
      ),
    ).toBe("call-list");
    expect(sent).toEqual([]);
    // Still on the list (recorded for it by the sweep), not yet phoned.
    const after = (await load(`?date=${day}`)).rows;
    expect(after.map((r) => [r.contactName, r.calledAt === null])).toContainEqual(["ブロック 四郎", true]);

    expect(
      await post({ date: day, reservationId: ids.phone!, slotId: slot.id, rule: "d1-1000", intent: "undo" }),
    ).toMatchObject({ ok: true });
    const [undone] = await dbs.ownerDb
      .select()
      .from(reminderSends)
      .where(and(eq(reminderSends.reservationId, ids.phone!), eq(reminderSends.ruleKey, "d1-1000")));
    expect(undone).toMatchObject({ calledAt: null, calledByStaffId: null });
    expect((await audits("reminder.call-undone")).at(-1)).toMatchObject({ targetId: ids.phone });

    // Another city sees none of these rows, even with a query that forgets its tenant filter (RLS).
    const other = await makeTenant(dbs.appDb);
    expect(await withTenant(dbs.appDb, other.id, (tx) => tx.select().from(reminderSends))).toEqual([]);
  });

  it("refuses rows that are not on that day's list, and malformed forms, in Japanese, writing nothing", async () => {
    const before = await dbs.ownerDb.select().from(reminderSends).where(eq(reminderSends.tenantId, city.id));
    // Reachable by e-mail: never on the list.
    expect(
      await post({ date: day, reservationId: ids.mail!, slotId: slot.id, rule: "d1-1000", intent: "called" }),
    ).toMatchObject({ ok: false, message: CALL_MESSAGES.notOnList });
    // Cancelled, or the wrong day for this rule.
    expect(
      await post({ date: day, reservationId: ids.cancelled!, slotId: slot.id, rule: "d1-1000", intent: "called" }),
    ).toMatchObject({ ok: false, message: CALL_MESSAGES.notOnList });
    expect(
      await post({ date: day, reservationId: ids.phone!, slotId: slot.id, rule: "h2", intent: "called" }),
    ).toMatchObject({ ok: false, message: CALL_MESSAGES.notOnList });
    expect(
      await post({ date: day, reservationId: "not-a-uuid", slotId: slot.id, rule: "d1-1000", intent: "called" }),
    ).toMatchObject({ ok: false, message: "予約を選択してください。" });
    expect(
      await post({ date: day, reservationId: ids.phone!, slotId: slot.id, rule: "d1-1000", intent: "explode" }),
    ).toMatchObject({ ok: false, message: "操作を選択してください。" });
    expect(await dbs.ownerDb.select().from(reminderSends).where(eq(reminderSends.tenantId, city.id))).toEqual(before);
  });
});
