import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, outbox, reservations, slots, type Service, type Tenant } from "#db/schema/index";
import { bookSlot } from "~/features/reservations/booking.server";
import { closeSlots, closureCallList } from "~/features/slots/slot-close.server";
import { reopenSlot } from "~/features/slots/slot-reopen.server";
import { addDays, tokyoDateOf, tokyoInstant } from "~/lib/japan-time";
import { makeService, makeSlot, makeTicketHolders, makeVenue, ticketNumbers } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
let city: Tenant;
let other: Tenant;
let service: Service;
let actor: { staffUserId: string; ip: string };
const holders: string[] = [];
let n = 0;
const now = new Date();
const day = addDays(tokyoDateOf(now), 4);

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "再開テスト市" });
  other = await makeTenant(dbs.appDb, { name: "再開となり町" });
  service = await makeService(dbs.appDb, city.id, { phases: [], bookingWindowDays: 60 });
  const admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
  actor = { staffUserId: admin.user.id, ip: "127.0.0.1" };
  const rows = await makeTicketHolders(
    dbs.appDb,
    city.id,
    ticketNumbers(20, 3_100_000_000).map((t) => ({ ticketNumber: t, birthDate: "1950-04-01" })),
  );
  holders.push(...rows.map((r) => r.id));
});
afterAll(async () => {
  await dbs.ownerDb.delete(outbox).where(inArray(outbox.tenantId, [city.id, other.id]));
  await dbs.close();
});

async function book(
  slotId: string,
  channel: "web" | "phone",
  contact: { email?: string; phone?: string; name: string },
  at = now,
) {
  const r = await bookSlot(
    dbs.appDb,
    {
      tenantId: city.id,
      slotId,
      ticketHolderId: holders[n++]!,
      channel,
      contact: { name: contact.name, phone: contact.phone ?? "", email: contact.email ?? "" },
      idempotencyKey: crypto.randomUUID(),
    },
    at,
  );
  if (!r.ok) throw new Error(r.message);
  return r.reservation.id;
}

const slotRow = async (id: string) => (await dbs.ownerDb.select().from(slots).where(eq(slots.id, id)))[0]!;
const later = (ms: number) => new Date(now.getTime() + ms);

describe("reopening a closed slot", () => {
  it("opens it again with counters recomputed from live bookings; the cancelled stay cancelled; audited", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "10:00"),
      webCapacity: 3,
      phoneCapacity: 2,
    });
    const web = await book(slot.id, "web", { name: "ウェブ 一郎", email: "ichiro@example.jp" });
    const phone = await book(slot.id, "phone", { name: "電話 二郎", phone: "0736-00-0001" });
    const closed = await closeSlots(
      dbs.appDb,
      city.id,
      { kind: "slot", slotId: slot.id },
      "台風接近のため",
      actor,
      later(1000),
    );
    expect(closed).toMatchObject({ ok: true, cancelled: 2 });
    // Closing releases nothing: the counters still say 1 and 1.
    expect(await slotRow(slot.id)).toMatchObject({ status: "closed", webBooked: 1, phoneBooked: 1 });

    const result = await reopenSlot(dbs.appDb, city.id, slot.id, "台風の進路がそれたため", actor, later(2000));
    expect(result).toEqual({ ok: true, webBooked: 0, phoneBooked: 0 });
    expect(await slotRow(slot.id)).toMatchObject({
      status: "open",
      closedReason: null,
      closedAt: null,
      webBooked: 0,
      phoneBooked: 0,
    });
    const statuses = await dbs.ownerDb
      .select({ id: reservations.id, status: reservations.status })
      .from(reservations)
      .where(inArray(reservations.id, [web, phone]));
    expect(statuses.map((r) => r.status)).toEqual(["cancelled", "cancelled"]);

    const [audit] = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "slot.reopen"), eq(auditLog.targetId, slot.id)));
    expect(audit).toMatchObject({ actorKind: "staff", actorId: actor.staffUserId, targetType: "slot" });
    expect(audit!.detail).toEqual({
      reason: "台風の進路がそれたため",
      closedReason: "台風接近のため",
      webBooked: 0,
      phoneBooked: 0,
    });

    // Bookable again, to the full capacity: three web seats, not two.
    for (const i of [1, 2, 3])
      await book(slot.id, "web", { name: `再予約 ${i}`, email: `again${i}@example.jp` }, later(3000));
    expect(await slotRow(slot.id)).toMatchObject({ webBooked: 3, phoneBooked: 0 });
  });

  it("counts, not assumes: a seat still held on the closed slot stays counted", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "11:00"),
    });
    const kept = await book(slot.id, "phone", { name: "残る 三子", phone: "0736-00-0003" });
    await book(slot.id, "web", { name: "消える 四子", email: "shiko@example.jp" });
    await closeSlots(dbs.appDb, city.id, { kind: "slot", slotId: slot.id }, "点検", actor, later(1000));
    // A booking that closure did not cancel (e.g. restored by hand in the database) still holds its seat.
    await dbs.ownerDb
      .update(reservations)
      .set({ status: "booked", cancelledAt: null })
      .where(eq(reservations.id, kept));
    await dbs.ownerDb.update(slots).set({ webBooked: 5, phoneBooked: 5 }).where(eq(slots.id, slot.id)); // stale counters
    expect(await reopenSlot(dbs.appDb, city.id, slot.id, "点検終了", actor, later(2000))).toEqual({
      ok: true,
      webBooked: 0,
      phoneBooked: 1,
    });
    expect(await slotRow(slot.id)).toMatchObject({ webBooked: 0, phoneBooked: 1 });
  });

  it("refuses an open slot, a started or past slot, another city's slot and a bad id, changing nothing", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const open = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "12:00"),
    });
    expect(await reopenSlot(dbs.appDb, city.id, open.id, "理由", actor)).toEqual({
      ok: false,
      message: "この枠はすでに受付中です。",
    });

    const soon = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: later(60 * 60_000),
    });
    await closeSlots(dbs.appDb, city.id, { kind: "slot", slotId: soon.id }, "急病", actor, later(1000));
    // At its start, and after it, the slot can no longer reopen.
    expect(await reopenSlot(dbs.appDb, city.id, soon.id, "回復", actor, soon.startsAt)).toEqual({
      ok: false,
      message: "開始時刻を過ぎた枠は受付を再開できません。",
    });
    expect(await reopenSlot(dbs.appDb, city.id, soon.id, "回復", actor, later(2 * 60 * 60_000))).toEqual({
      ok: false,
      message: "開始時刻を過ぎた枠は受付を再開できません。",
    });

    expect(await reopenSlot(dbs.appDb, other.id, soon.id, "誤操作", actor, later(2000))).toEqual({
      ok: false,
      message: "予約枠が見つかりません。",
    });
    expect(await reopenSlot(dbs.appDb, city.id, "not-a-uuid", "誤操作", actor)).toEqual({
      ok: false,
      message: "予約枠が見つかりません。",
    });
    expect(await slotRow(soon.id)).toMatchObject({ status: "closed", closedReason: "急病" });
    const audits = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "slot.reopen"), inArray(auditLog.targetId, [open.id, soon.id])));
    expect(audits).toHaveLength(0);
  });

  it("after reopening and closing again, the call list names only whom the latest closure cancelled", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "15:00"),
    });
    const first = await book(slot.id, "phone", { name: "一回目 花子", phone: "0736-11-0001" });
    await closeSlots(dbs.appDb, city.id, { kind: "slot", slotId: slot.id }, "一回目の休止", actor, later(1000));
    expect((await closureCallList(dbs.appDb, city.id, slot.id, actor))!.map((u) => u.reservationId)).toEqual([first]);

    await reopenSlot(dbs.appDb, city.id, slot.id, "再開", actor, later(2000));
    // While open there is no call list at all.
    expect(await closureCallList(dbs.appDb, city.id, slot.id, actor)).toEqual([]);
    const second = await book(slot.id, "phone", { name: "二回目 次郎", phone: "0736-11-0002" }, later(3000));
    await book(slot.id, "web", { name: "メール 三郎", email: "saburo@example.jp" }, later(3000));

    const closedAgain = await closeSlots(
      dbs.appDb,
      city.id,
      { kind: "slot", slotId: slot.id },
      "二回目の休止",
      actor,
      later(4000),
    );
    expect(closedAgain).toMatchObject({ ok: true, cancelled: 2 });
    expect((await slotRow(slot.id)).closedAt!.getTime()).toBe(later(4000).getTime()); // moved forward
    const list = await closureCallList(dbs.appDb, city.id, slot.id, actor);
    expect(list!.map((u) => u.reservationId)).toEqual([second]);
    expect(closedAgain.ok && closedAgain.unreachable.map((u) => u.reservationId)).toEqual([second]);
  });
});
