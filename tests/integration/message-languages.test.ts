import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reservations, type Service, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordFollow, updateFriend } from "~/features/line/friends.server";
import { dueAt } from "~/features/reminders/rules";
import { sweepReminders } from "~/features/reminders/sweep.server";
import { bookSlot } from "~/features/reservations/booking.server";
import { cancelReservation } from "~/features/reservations/change-cancel.server";
import { formatDateTimeFor } from "~/lib/i18n/dates";
import { closeRedis } from "~/lib/redis.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { testDbs } from "#tests/setup/db";
import { startNoticeWorld, type NoticeWorld } from "#tests/setup/notice-world";

/**
 * Issue 15 phase 2: what residents receive is in their language (ADR 045). Through the real outbox,
 * BullMQ workers, the LINE emulator and the SMTP capture: a LINE friend who chose English gets the
 * English reminder and notices, a Japanese friend the Japanese ones; an e-mail follows the language
 * the reservation was booked in; an unknown language is stored and written as Japanese.
 */
const dbs = testDbs();
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const DAY_BEFORE = { kind: "days-before", days: 1, at: "10:00" } as const;

let w: NoticeWorld;
let city: Tenant;
let service: Service;
let venueId: string;
let ticket = 5_300_000_000;
let dayOffset = 3;

beforeAll(async () => {
  w = await startNoticeWorld(dbs.appDb, { cityName: "多言語市", loginChannelSecret: "login-secret-languages" });
  city = w.city;
  service = await makeService(dbs.appDb, city.id, { name: "予防接種", whatToBring: "接種券" });
  venueId = (await makeVenue(dbs.appDb, city.id, { name: "中央公民館", address: "本町1-1" })).id;
});
afterAll(async () => {
  await w.close();
  await closeRedis();
  await dbs.close();
});

function nextSessionStart() {
  const tokyoToday = Math.floor((Date.now() + 9 * HOUR) / DAY) * DAY - 9 * HOUR;
  return new Date(tokyoToday + dayOffset++ * DAY + (9 * 60 + 30) * 60_000);
}
const newSlot = () => makeSlot(dbs.appDb, city.id, { venueId, serviceId: service.id, startsAt: nextSessionStart() });

/** A LINE friend who answered the survey's first question (the language) with `language`. */
async function friendWhoChose(language: string | null) {
  const userId = await w.ctl.newUser();
  await withTenant(dbs.appDb, city.id, async (tx) => {
    await recordFollow(tx, city.id, userId, new Date());
    await updateFriend(tx, city.id, userId, [{ field: "language", value: language }]);
  });
  return userId;
}

async function book(slotId: string, who: { lineUserId?: string; email?: string; language?: string }) {
  const [holder] = await makeTicketHolders(dbs.appDb, city.id, [
    { ticketNumber: String(++ticket), birthDate: "1980-04-01" },
  ]);
  const r = await bookSlot(dbs.appDb, {
    tenantId: city.id,
    slotId,
    ticketHolderId: holder!.id,
    channel: who.lineUserId ? "line" : "web",
    contact: { name: "Alex Smith", phone: "", email: who.email ?? "" },
    lineUserId: who.lineUserId ?? null,
    idempotencyKey: crypto.randomUUID(),
    ...(who.language ? { language: who.language } : {}),
  });
  if (!r.ok) throw new Error(r.message);
  return r.reservation.id;
}

const texts = async (userId: string) => (await w.pushesTo(userId)).map((m) => m.messages[0]?.text ?? "");

describe("LINE pushes in the friend's language", () => {
  it("a friend who chose English gets the English confirmation and reminder; a Japanese friend the Japanese ones", async () => {
    const slot = await newSlot();
    const english = await friendWhoChose("en");
    const japanese = await friendWhoChose(null);
    await book(slot.id, { lineUserId: english });
    await book(slot.id, { lineUserId: japanese });
    await w.processAll(); // the confirmations

    expect(await sweepReminders(dbs.appDb, dueAt(DAY_BEFORE, slot.startsAt), { tenantIds: [city.id] })).toMatchObject({
      queued: 2,
    });
    await w.processAll();

    const [enConfirm, enReminder, ...enRest] = await texts(english);
    expect(enRest).toEqual([]);
    expect(enConfirm).toContain("【多言語市】Your booking is confirmed");
    expect(enReminder).toContain("【多言語市】Your appointment is coming up");
    expect(enReminder).toContain("予防接種 (dose 1)");
    expect(enReminder).toContain(`Date and time: ${formatDateTimeFor("en", slot.startsAt)}`);
    expect(enReminder).toMatch(/Date and time: (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]+ 20\d\d, 9:30/);
    expect(enReminder).toContain("Venue: 中央公民館 (本町1-1)");
    expect(enReminder).toContain("What to bring: 接種券");
    expect(enReminder).toContain("If you can no longer come, please change or cancel your booking");
    expect(enReminder).not.toMatch(/日時|会場|予約番号|持ち物/);

    const [jaConfirm, jaReminder] = await texts(japanese);
    expect(jaConfirm).toContain("【多言語市】予約が確定しました");
    expect(jaReminder).toContain("【多言語市】ご予約日時が近づいています");
    // Japanese dates carry the era (令和…年).
    expect(jaReminder).toContain(`日時：${formatDateTimeFor("ja", slot.startsAt)}`);
    expect(jaReminder).toMatch(/日時：令和\d+年/);
  });

  it("やさしい日本語 puts the readings in parentheses", async () => {
    const slot = await newSlot();
    const easy = await friendWhoChose("ja-x-easy");
    await book(slot.id, { lineUserId: easy });
    await w.processAll();
    const [confirm] = await texts(easy);
    expect(confirm).toContain("予約（よやく）が できました");
    expect(confirm).not.toMatch(/[{|}]/);
  });
});

describe("e-mails in the reservation's language", () => {
  it("a reservation booked in English gets English mails (confirmation, cancellation); one booked without a language Japanese", async () => {
    const slot = await newSlot();
    const id = await book(slot.id, { email: "alex@example.jp", language: "en" });
    await book(slot.id, { email: "hanako@example.jp" });
    await w.processAll();
    const [confirm] = await w.mailsTo("alex@example.jp");
    expect(confirm!.subject).toBe("[多言語市] 予防接種: Your booking is confirmed");
    expect(confirm!.text).toContain("Dear Alex Smith,");
    expect(confirm!.text).toContain(`Date and time: ${formatDateTimeFor("en", slot.startsAt)}`);
    const [ja] = await w.mailsTo("hanako@example.jp");
    expect(ja!.subject).toBe("【多言語市】予防接種 予約が確定しました");
    expect(ja!.text).toContain(`日時：${formatDateTimeFor("ja", slot.startsAt)}`);

    const cancelled = await cancelReservation(dbs.appDb, {
      tenantId: city.id,
      reservationId: id,
      actor: { kind: "resident" },
    });
    expect(cancelled.ok).toBe(true);
    await w.processAll();
    const mails = await w.mailsTo("alex@example.jp");
    expect(mails.map((m) => m.subject)).toContain("[多言語市] 予防接種: Your booking has been cancelled");
  });

  it("the reminder e-mail of a reservation booked in English is in English; one booked in やさしい日本語 has readings", async () => {
    const slot = await newSlot();
    await book(slot.id, { email: "reminder-en@example.jp", language: "en" });
    await book(slot.id, { email: "reminder-easy@example.jp", language: "ja-x-easy" });
    await w.processAll();
    expect(await sweepReminders(dbs.appDb, dueAt(DAY_BEFORE, slot.startsAt), { tenantIds: [city.id] })).toMatchObject({
      queued: 2,
    });
    await w.processAll();
    const en = (await w.mailsTo("reminder-en@example.jp")).find((m) => m.subject.includes("your appointment on"));
    expect(en!.subject).toBe(`[多言語市] 予防接種: your appointment on ${formatDateTimeFor("en", slot.startsAt)}`);
    expect(en!.text).toContain("If you can no longer come, please change or cancel your booking:");
    const easy = (await w.mailsTo("reminder-easy@example.jp")).find((m) => m.subject.includes("お知（し）らせ"));
    expect(easy!.subject).toContain(formatDateTimeFor("ja-x-easy", slot.startsAt));
    expect(easy!.text).toContain("Alex Smith さん");
    expect(easy!.text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
  });

  it("an unknown language is stored as Japanese (nothing a client sends can break the mail)", async () => {
    const slot = await newSlot();
    const id = await book(slot.id, { email: "odd@example.jp", language: "xx-<script>" });
    const [row] = await dbs.ownerDb.select().from(reservations).where(eq(reservations.id, id));
    expect(row!.language).toBe("ja");
  });
});
