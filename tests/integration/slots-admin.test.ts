import { and, eq, inArray } from "drizzle-orm";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, outbox, reservations, slots, type Service, type Tenant, type Venue } from "#db/schema/index";
import { bookSlot } from "~/features/reservations/booking.server";
import { closeSlots, closureCallList, venueDaySummary } from "~/features/slots/slot-close.server";
import { cancelReservation } from "~/features/reservations/change-cancel.server";
import { generateSlots, previewGeneration } from "~/features/slots/slot-generate.server";
import { importSlotsCsv } from "~/features/slots/slot-import.server";
import { updateSlotCapacity } from "~/features/slots/slots.server";
import { generateSchema } from "~/features/slots/slots.schemas";
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

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "枠テスト市" });
  other = await makeTenant(dbs.appDb, { name: "となり町" });
  service = await makeService(dbs.appDb, city.id, { phases: [], bookingWindowDays: 60 });
  const admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
  actor = { staffUserId: admin.user.id, ip: "127.0.0.1" };
});
afterAll(async () => {
  // Leave no pending notices behind: other files relay the shared outbox and count what arrives.
  await dbs.ownerDb.delete(outbox).where(inArray(outbox.tenantId, [city.id, other.id]));
  await dbs.close();
});

const slotsOf = (venueId: string) =>
  dbs.ownerDb.select().from(slots).where(eq(slots.venueId, venueId)).orderBy(slots.startsAt);

/** The generation form as a browser would post it (through the real schema). */
function pattern(venueId: string, overrides: Record<string, string> = {}) {
  const parsed = generateSchema.safeParse({
    venueId,
    serviceId: service.id,
    dateFrom: "2026-11-16",
    dateTo: "2026-11-29",
    wd1: "on",
    wd2: "on",
    wd3: "on",
    wd4: "on",
    wd5: "on",
    range0Start: "09:00",
    range0End: "12:00",
    range1Start: "13:00",
    range1End: "16:00",
    intervalMinutes: "30",
    webCapacity: "20",
    phoneCapacity: "10",
    skipHolidays: "on",
    ...overrides,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

describe("bulk slot generation", () => {
  const now = new Date("2026-11-01T00:00:00Z");

  it("previews the count, skips public holidays, and creates exactly the previewed slots", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const input = pattern(venue.id);
    const preview = await previewGeneration(dbs.appDb, city.id, input, now);
    if (!preview.ok) throw new Error(JSON.stringify(preview.errors));
    // Mon–Fri over two weeks, minus 勤労感謝の日 (Mon 23 Nov): 9 days × 12 slots.
    expect(preview.preview).toMatchObject({
      total: 108,
      existing: 0,
      fresh: 108,
      skippedHolidays: [{ date: "2026-11-23", name: "勤労感謝の日" }],
    });
    expect(await slotsOf(venue.id)).toHaveLength(0); // a preview writes nothing

    const created = await generateSlots(dbs.appDb, city.id, { ...input, previewKey: preview.preview.key }, actor, now);
    expect(created).toEqual({ ok: true, created: 108, existing: 0 });
    const rows = await slotsOf(venue.id);
    expect(rows).toHaveLength(108);
    expect(rows[0]!.startsAt.toISOString()).toBe("2026-11-16T00:00:00.000Z"); // 09:00 in Japan
    expect(rows.every((r) => r.webCapacity === 20 && r.phoneCapacity === 10 && r.status === "open")).toBe(true);
    expect(rows.some((r) => tokyoDateOf(r.startsAt) === "2026-11-23")).toBe(false);

    const [audit] = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "slot.generate"), eq(auditLog.targetId, venue.id)),
      );
    expect(audit!.detail).toMatchObject({ planned: 108, created: 108 });
  });

  it("is idempotent: the same pattern again creates nothing, a longer one only the missing days", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const input = pattern(venue.id);
    const first = await previewGeneration(dbs.appDb, city.id, input, now);
    await generateSlots(dbs.appDb, city.id, { ...input, previewKey: first.ok ? first.preview.key : "" }, actor, now);
    // Staff raise the capacity of one slot; re-running the pattern must not reset it.
    const [edited] = await slotsOf(venue.id);
    expect(
      await updateSlotCapacity(dbs.appDb, city.id, edited!.id, { webCapacity: 40, phoneCapacity: 10 }, actor),
    ).toEqual({ ok: true });

    const again = await previewGeneration(dbs.appDb, city.id, input, now);
    expect(again.ok && again.preview).toMatchObject({ total: 108, existing: 108, fresh: 0 });
    expect(
      await generateSlots(dbs.appDb, city.id, { ...input, previewKey: again.ok ? again.preview.key : "" }, actor, now),
    ).toEqual({ ok: true, created: 0, existing: 108 });

    const longer = pattern(venue.id, { dateTo: "2026-12-06" });
    const p3 = await previewGeneration(dbs.appDb, city.id, longer, now);
    expect(p3.ok && p3.preview).toMatchObject({ total: 168, existing: 108, fresh: 60 });
    expect(
      await generateSlots(dbs.appDb, city.id, { ...longer, previewKey: p3.ok ? p3.preview.key : "" }, actor, now),
    ).toEqual({ ok: true, created: 60, existing: 108 });
    const rows = await slotsOf(venue.id);
    expect(rows).toHaveLength(168);
    expect(rows.find((r) => r.id === edited!.id)!.webCapacity).toBe(40);
  });

  it("refuses to create when the pattern changed after the preview", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const previewed = await previewGeneration(dbs.appDb, city.id, pattern(venue.id), now);
    const changed = pattern(venue.id, { intervalMinutes: "20", previewKey: previewed.ok ? previewed.preview.key : "" });
    const result = await generateSlots(dbs.appDb, city.id, changed, actor, now);
    expect(result.ok).toBe(false);
    expect("stale" in result && result.stale.total).toBe(9 * 18);
    expect(await slotsOf(venue.id)).toHaveLength(0);
  });

  it("refuses another city's venue and dates in the past", async () => {
    const foreign = await makeVenue(dbs.appDb, other.id);
    const r1 = await previewGeneration(dbs.appDb, city.id, pattern(foreign.id), now);
    expect(r1).toEqual({ ok: false, errors: { venueId: "会場が見つかりません。選び直してください。" } });
    const venue = await makeVenue(dbs.appDb, city.id);
    const r2 = await previewGeneration(dbs.appDb, city.id, pattern(venue.id), new Date("2026-11-20T00:00:00Z"));
    expect(r2.ok).toBe(false);
    expect(!r2.ok && r2.errors.dateFrom).toContain("今日以降");
  });
});

describe("CSV import", () => {
  const now = new Date("2026-11-21T00:00:00Z");
  const header = "会場名,日付,開始,終了,Web枠,電話枠";
  let south: Venue;
  let north: Venue;
  beforeAll(async () => {
    south = await makeVenue(dbs.appDb, city.id, { name: "保健センター（南）" });
    north = await makeVenue(dbs.appDb, city.id, { name: "北公民館" });
  });
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it("imports nothing when one row is bad, and names each bad line", async () => {
    const csv = [
      header,
      "保健センター（南）,2026/12/01,9:00,9:30,20,10",
      "北公民館,2026-12-01,9:00,9:30,abc,10",
      "西会館,2026-12-01,10:00,10:30,5,5",
      "北公民館,2026-12-01,10:00,10:30,5,5",
    ].join("\r\n");
    const result = await importSlotsCsv(
      dbs.appDb,
      city.id,
      { serviceId: service.id, filename: "bad.csv", bytes: utf8(csv) },
      actor,
      now,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 3, message: "Web枠は0〜1000の整数で入力してください（「abc」）。" },
        { line: 4, message: "会場「西会館」が見つかりません。会場の管理に登録した名前と同じにしてください。" },
      ],
    });

    // Format is fine, but a venue does not exist: still nothing is written.
    const csv2 = [
      header,
      "保健センター（南）,2026/12/01,9:00,9:30,20,10",
      "西会館,2026-12-01,10:00,10:30,5,5",
      "保健センター（南）,2026/12/01,9:00,9:45,1,1",
    ].join("\n");
    const result2 = await importSlotsCsv(
      dbs.appDb,
      city.id,
      { serviceId: service.id, filename: "bad2.csv", bytes: utf8(csv2) },
      actor,
      now,
    );
    expect(result2.ok).toBe(false);
    expect(!result2.ok && "problems" in result2 && result2.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(await slotsOf(south.id)).toHaveLength(0);
    expect(await slotsOf(north.id)).toHaveLength(0);
  });

  it("imports a good UTF-8 file with a BOM, then skips the same rows the second time", async () => {
    const csv =
      "\uFEFF" +
      [
        header,
        "保健センター（南）,2026/12/01,9:00,9:30,20,10",
        "北公民館,2026-12-01,09:00,09:30,15,5",
        "北公民館,2026-12-01,09:30,10:00,15,5",
      ].join("\r\n");
    const first = await importSlotsCsv(
      dbs.appDb,
      city.id,
      { serviceId: service.id, filename: "ok.csv", bytes: utf8(csv) },
      actor,
      now,
    );
    expect(first).toEqual({ ok: true, rows: 3, created: 3, existing: 0, encoding: "utf-8" });
    const again = await importSlotsCsv(
      dbs.appDb,
      city.id,
      { serviceId: service.id, filename: "ok.csv", bytes: utf8(csv) },
      actor,
      now,
    );
    expect(again).toEqual({ ok: true, rows: 3, created: 0, existing: 3, encoding: "utf-8" });
    const [s] = await slotsOf(south.id);
    expect(s).toMatchObject({ webCapacity: 20, phoneCapacity: 10, serviceId: service.id });
    expect(s!.startsAt.toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });

  it("reads a Shift_JIS file as Excel saves it, with venue ids too", async () => {
    const csv =
      [
        "会場ID,会場名,日付,開始,終了,Web枠,電話枠",
        `,保健センター（南）,2026/12/02,13:00,13:30,8,2`,
        `${north.id},,2026/12/02,13:00,13:30,6,4`,
      ].join("\r\n") + "\r\n";
    const bytes = new Uint8Array(iconv.encode(csv, "cp932"));
    const result = await importSlotsCsv(
      dbs.appDb,
      city.id,
      { serviceId: service.id, filename: "sjis.csv", bytes },
      actor,
      now,
    );
    expect(result).toEqual({ ok: true, rows: 2, created: 2, existing: 0, encoding: "shift_jis" });
    const rows = await slotsOf(north.id);
    expect(rows.find((r) => r.startsAt.toISOString() === "2026-12-02T04:00:00.000Z")).toMatchObject({
      webCapacity: 6,
      phoneCapacity: 4,
    });
  });

  it("cannot reach another city's venue by id", async () => {
    const foreign = await makeVenue(dbs.appDb, other.id);
    const csv = ["会場ID,日付,開始,終了,Web枠,電話枠", `${foreign.id},2026/12/03,13:00,13:30,8,2`].join("\n");
    const result = await importSlotsCsv(
      dbs.appDb,
      city.id,
      { serviceId: service.id, filename: "x.csv", bytes: utf8(csv) },
      actor,
      now,
    );
    expect(result).toEqual({
      ok: false,
      problems: [{ line: 2, message: `会場ID「${foreign.id}」の会場はこの自治体にありません。` }],
    });
    expect(await slotsOf(foreign.id)).toHaveLength(0);
  });
});

describe("capacities and closing", () => {
  const now = new Date();
  const day = addDays(tokyoDateOf(now), 3);
  let n = 0;
  const holders: string[] = [];
  beforeAll(async () => {
    const rows = await makeTicketHolders(
      dbs.appDb,
      city.id,
      ticketNumbers(20, 3_000_000_000).map((t) => ({ ticketNumber: t, birthDate: "1950-04-01" })),
    );
    holders.push(...rows.map((r) => r.id));
  });

  async function book(
    slotId: string,
    channel: "web" | "line" | "phone",
    contact: { email?: string; line?: string; phone?: string; name: string },
  ) {
    const r = await bookSlot(
      dbs.appDb,
      {
        tenantId: city.id,
        slotId,
        ticketHolderId: holders[n++]!,
        channel,
        contact: { name: contact.name, phone: contact.phone ?? "", email: contact.email ?? "" },
        lineUserId: contact.line ?? null,
        idempotencyKey: crypto.randomUUID(),
      },
      now,
    );
    if (!r.ok) throw new Error(r.message);
    return r.reservation.id;
  }

  it("refuses a capacity below what is already booked, with a Japanese message", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "15:00"),
      webCapacity: 5,
      phoneCapacity: 5,
    });
    await book(slot.id, "web", { name: "予約 一郎", email: "ichiro@example.jp" });
    await book(slot.id, "web", { name: "予約 二郎", email: "jiro@example.jp" });
    await book(slot.id, "phone", { name: "予約 三郎", phone: "090-0000-0003" });

    const refused = await updateSlotCapacity(dbs.appDb, city.id, slot.id, { webCapacity: 1, phoneCapacity: 0 }, actor);
    expect(refused).toEqual({
      ok: false,
      errors: {
        webCapacity: "Web枠はすでに2人が予約しているため、2より少なくできません。",
        phoneCapacity: "電話枠はすでに1人が予約しているため、1より少なくできません。",
      },
    });
    const [unchanged] = await dbs.ownerDb.select().from(slots).where(eq(slots.id, slot.id));
    expect(unchanged).toMatchObject({ webCapacity: 5, phoneCapacity: 5, webBooked: 2, phoneBooked: 1 });

    expect(await updateSlotCapacity(dbs.appDb, city.id, slot.id, { webCapacity: 2, phoneCapacity: 1 }, actor)).toEqual({
      ok: true,
    });
    const [changed] = await dbs.ownerDb.select().from(slots).where(eq(slots.id, slot.id));
    expect(changed).toMatchObject({ webCapacity: 2, phoneCapacity: 1 });
    // Another city cannot touch it, whatever id it sends.
    expect(await updateSlotCapacity(dbs.appDb, other.id, slot.id, { webCapacity: 9, phoneCapacity: 9 }, actor)).toEqual(
      { ok: false, errors: { _form: "予約枠が見つかりません。" } },
    );
  });

  it("closing a venue-day cancels its bookings, writes one notice each and lists who cannot be reached", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const elsewhere = await makeVenue(dbs.appDb, city.id);
    const morning = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "10:00"),
    });
    const noon = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "11:30"),
    });
    const nextDay = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(addDays(day, 1), "10:00"),
    });
    const otherVenue = await makeSlot(dbs.appDb, city.id, {
      venueId: elsewhere.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "10:00"),
    });

    const byMail = await book(morning.id, "web", {
      name: "メール 花子",
      email: "hanako@example.jp",
      phone: "090-1111-1111",
    });
    const byLine = await book(morning.id, "line", { name: "ライン 太郎", line: "U1234567890abcdef" });
    const byPhone = await book(noon.id, "phone", { name: "電話 ウメ", phone: "0736-00-0000" });
    const untouched1 = await book(nextDay.id, "phone", { name: "翌日 次郎", phone: "0736-11-1111" });
    const untouched2 = await book(otherVenue.id, "phone", { name: "別会場 三郎", phone: "0736-22-2222" });
    await dbs.ownerDb.delete(outbox).where(eq(outbox.tenantId, city.id)); // only the close's notices below

    const summary = await venueDaySummary(dbs.appDb, city.id, venue.id, day);
    expect(summary).toMatchObject({ slots: 2, open: 2, booked: 3, noContact: 1 });

    const result = await closeSlots(
      dbs.appDb,
      city.id,
      { kind: "venue-day", venueId: venue.id, date: day },
      "台風接近のため",
      actor,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.closedSlots).toBe(2);
    expect(result.cancelled).toBe(3);
    expect(result.unreachable).toEqual([
      {
        reservationId: byPhone,
        name: "電話 ウメ",
        phone: "0736-00-0000",
        startsAt: noon.startsAt.toISOString(),
        confirmationCode: expect.any(String),
      },
    ]);

    const closed = await dbs.ownerDb.select().from(slots).where(eq(slots.venueId, venue.id)).orderBy(slots.startsAt);
    expect(closed.map((s) => [s.status, s.closedReason])).toEqual([
      ["closed", "台風接近のため"],
      ["closed", "台風接近のため"],
      ["open", null],
    ]);
    // Nothing is released back: the counters still say what was booked.
    expect(closed[0]).toMatchObject({ webBooked: 2 });
    expect(closed[1]).toMatchObject({ phoneBooked: 1 });

    const statuses = Object.fromEntries(
      (await dbs.ownerDb.select().from(reservations).where(eq(reservations.tenantId, city.id))).map((r) => [
        r.id,
        r.status,
      ]),
    );
    expect([statuses[byMail], statuses[byLine], statuses[byPhone]]).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect([statuses[untouched1], statuses[untouched2]]).toEqual(["booked", "booked"]);

    const notices = await dbs.ownerDb.select().from(outbox).where(eq(outbox.tenantId, city.id));
    expect(notices).toHaveLength(3);
    expect(
      notices.every(
        (o) => o.jobName === "send-reservation-notice" && (o.payload as { kind: string }).kind === "slot-closed",
      ),
    ).toBe(true);
    expect(notices.map((o) => (o.payload as { reservationId: string }).reservationId).sort()).toEqual(
      [byMail, byLine, byPhone].sort(),
    );
    expect(JSON.stringify(notices.map((o) => o.payload))).not.toContain("ウメ"); // ids only

    const [audit] = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "slot.close"), eq(auditLog.targetId, venue.id)));
    expect(audit!.detail).toEqual({ reason: "台風接近のため", date: day, slots: 2, cancelled: 3, unreachable: 1 });
    expect(JSON.stringify(audit!.detail)).not.toContain("0736");

    // A closed slot takes no new bookings, and closing the day again changes nothing.
    const late = await bookSlot(
      dbs.appDb,
      {
        tenantId: city.id,
        slotId: morning.id,
        ticketHolderId: holders[n++]!,
        channel: "web",
        contact: { name: "遅刻", phone: "", email: "late@example.jp" },
        idempotencyKey: crypto.randomUUID(),
      },
      now,
    );
    expect(late.ok).toBe(false);
    expect(
      await closeSlots(dbs.appDb, city.id, { kind: "venue-day", venueId: venue.id, date: day }, "再実行", actor),
    ).toEqual({ ok: false, message: "この日に受付中の枠はありません。" });
    expect(await dbs.ownerDb.select().from(outbox).where(eq(outbox.tenantId, city.id))).toHaveLength(3);
  });

  it("a closed slot's page keeps listing whom the closure could not notify (not earlier cancellations), and each view is audited", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "16:00"),
    });
    const earlier = await book(slot.id, "phone", { name: "先に取消 一子", phone: "0736-33-3333" });
    expect(
      (
        await cancelReservation(
          dbs.appDb,
          { tenantId: city.id, reservationId: earlier, actor: { kind: "staff", staffUserId: actor.staffUserId } },
          now,
        )
      ).ok,
    ).toBe(true);
    const toCall = await book(slot.id, "phone", { name: "電話 二子", phone: "0736-44-4444" });
    await book(slot.id, "web", { name: "メール 三子", email: "miko@example.jp" });

    // Still open: nothing to phone about yet.
    expect(await closureCallList(dbs.appDb, city.id, slot.id, actor)).toEqual([]);
    const closed = await closeSlots(
      dbs.appDb,
      city.id,
      { kind: "slot", slotId: slot.id },
      "会場設備の故障",
      actor,
      new Date(now.getTime() + 1000),
    );
    expect(closed.ok && closed.unreachable.map((u) => u.reservationId)).toEqual([toCall]);

    const list = await closureCallList(dbs.appDb, city.id, slot.id, actor);
    expect(list).toEqual([
      {
        reservationId: toCall,
        name: "電話 二子",
        phone: "0736-44-4444",
        startsAt: slot.startsAt.toISOString(),
        confirmationCode: expect.any(String),
      },
    ]);
    // Another city sees nothing, whatever id it sends.
    expect(await closureCallList(dbs.appDb, other.id, slot.id, actor)).toEqual([]);
    const views = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "slot.call-list.view"), eq(auditLog.targetId, slot.id)),
      );
    expect(views).toHaveLength(1);
    expect(views[0]!.detail).toEqual({ residents: 1 });
  });

  it("closes a single slot, and another city cannot close it", async () => {
    const venue = await makeVenue(dbs.appDb, city.id);
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: tokyoInstant(day, "14:00"),
    });
    expect(await closeSlots(dbs.appDb, other.id, { kind: "slot", slotId: slot.id }, "誤操作", actor)).toEqual({
      ok: false,
      message: "この枠はすでに休止しているか、見つかりません。",
    });
    expect(
      await closeSlots(dbs.appDb, other.id, { kind: "venue-day", venueId: venue.id, date: day }, "誤操作", actor),
    ).toEqual({ ok: false, message: "この日に受付中の枠はありません。" });
    const result = await closeSlots(dbs.appDb, city.id, { kind: "slot", slotId: slot.id }, "医師不在のため", actor);
    expect(result).toEqual({ ok: true, closedSlots: 1, cancelled: 0, unreachable: [] });
  });
});
