import type { Db } from "./client.server";
import { and, eq, inArray, sql } from "drizzle-orm";
import { reservations, venues } from "./schema/index";
import { withTenant } from "./with-tenant.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "../tests/factories/reservations";
import { bookSlot } from "../app/features/reservations/booking.server";
import { cancelReservation } from "../app/features/reservations/change-cancel.server";
import { DEMO_ENGLISH_RESIDENT } from "../app/features/dev-line/demo-resident";
import { addFriend } from "../tests/factories/broadcasts";
import { familyProxyNote } from "../app/features/reservations/resident-flow.server";
import { addDays, tokyoDateOf, tokyoInstant, weekdayOf } from "~/lib/japan-time";

/**
 * Demo booking data for each demo city: one vaccination service (2 doses, 21 days apart), venues,
 * two weeks of slots from tomorrow, and 20 ticket holders whose (public, fictional) ticket numbers
 * are printed by `npm run demo`. Uses the same factories as the tests.
 *
 * Ticket numbers 1000000018–1000000020 are used by tests/e2e/resident-booking.spec.ts (each run
 * starts from a fresh database); the others are free for trying the demo by hand.
 */

export type DemoTicketHolder = { tenantId: string; ticketNumber: string; birthDate: string; note: string };

const VENUES = [
  {
    name: "中央公民館",
    address: "本町1-1-1",
    accessNotes: "市役所前バス停から徒歩3分。駐車場80台",
    barrierFreeNotes: "入口スロープ、エレベーター、車いす対応トイレあり",
  },
  {
    name: "市民体育館",
    address: "運動公園2-5",
    accessNotes: "駅から無料シャトルバス（15分ごと）。駐車場200台",
    barrierFreeNotes: "段差なし。車いすの貸し出しあり",
  },
  {
    name: "北保健センター",
    address: "北町3-12",
    accessNotes: "北町駅から徒歩8分。駐車場20台",
    barrierFreeNotes: "2階会場（エレベーターあり）",
  },
] as const;

/** Birth dates chosen to show the era labels (昭和64年／平成元年 …) and a spread of ages, some 65+. */
const BIRTH_DATES = [
  "1960-01-01",
  "1938-04-12",
  "1944-11-03",
  "1950-01-15",
  "1955-07-07",
  "1958-03-31",
  "1962-09-20",
  "1965-12-24",
  "1970-05-05",
  "1975-08-15",
  "1980-02-29",
  "1985-10-10",
  "1989-01-07",
  "1989-01-08",
  "1992-06-30",
  "1995-03-03",
  "2000-12-31",
  "1948-06-01",
  "1957-02-14",
  "1990-08-08",
] as const;

export const DEMO_TICKET_NUMBERS = BIRTH_DATES.map((_, i) => String(1_000_000_001 + i));

/** Session start times in Japan: mornings and afternoons, every 30 minutes. */
const TIMES = ["09:30", "10:00", "10:30", "11:00", "13:30", "14:00", "14:30", "15:00", "15:30"] as const;

/** Midnight of a day in Japan, `days` after today there. */
function tokyoDay(days: number, now: Date) {
  return tokyoInstant(addDays(tokyoDateOf(now), days)).getTime();
}

function ageOn(birthDate: string, on: Date) {
  const [y, m, d] = birthDate.split("-").map(Number) as [number, number, number];
  const age = on.getUTCFullYear() - y;
  return on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d) ? age - 1 : age;
}

export async function seedDemoReservations(
  db: Db,
  tenantIds: readonly string[],
  now = new Date(),
): Promise<DemoTicketHolder[]> {
  const out: DemoTicketHolder[] = [];
  for (const [cityIndex, tenantId] of tenantIds.entries()) {
    const service = await makeService(db, tenantId, {
      name: "新型コロナワクチン接種",
      doses: 2,
      minIntervalDays: 21,
      bookingWindowDays: 30,
      changeCutoffHours: 24,
    });
    const venueCount = cityIndex === 0 ? 3 : 2;
    const bookable: { day: number; time: string; slotId: string }[] = [];
    for (const [venueIndex, v] of VENUES.slice(0, venueCount).entries()) {
      const venue = await makeVenue(db, tenantId, { name: v.name, address: v.address });
      await withTenant(db, tenantId, (tx) =>
        tx
          .update(venues)
          .set({ accessNotes: v.accessNotes, barrierFreeNotes: v.barrierFreeNotes })
          .where(and(eq(venues.tenantId, tenantId), eq(venues.id, venue.id))),
      );
      for (let day = 1; day <= 14; day++) {
        const midnight = tokyoDay(day, now);
        // The health centre is closed at weekends; the others open every day.
        const weekday = weekdayOf(tokyoDateOf(midnight));
        if (venueIndex === 2 && (weekday === 0 || weekday === 6)) continue;
        for (const [timeIndex, time] of TIMES.entries()) {
          const [h, m] = time.split(":").map(Number) as [number, number];
          // A few small sessions, so "残りわずか" and "満席" (web quota 0: phone only) show in the demo.
          const webCapacity = timeIndex === 0 ? 3 : timeIndex === TIMES.length - 1 && day % 3 === 0 ? 0 : 12;
          const slot = await makeSlot(db, tenantId, {
            venueId: venue.id,
            serviceId: service.id,
            startsAt: new Date(midnight + (h * 60 + m) * 60_000),
            minutes: 30,
            webCapacity,
            phoneCapacity: 6,
          });
          if (venueIndex === 0 && day <= 2) bookable.push({ day, time, slotId: slot.id });
        }
      }
    }
    await seedDemoBookings(db, tenantId, bookable, now);
    const people = BIRTH_DATES.map((birthDate, i) => ({ ticketNumber: DEMO_TICKET_NUMBERS[i]!, birthDate }));
    await makeTicketHolders(db, tenantId, people);
    for (const p of people) {
      const age = ageOn(p.birthDate, now);
      const e2e = Number(p.ticketNumber) >= 1_000_000_018 ? "（e2eテストで使用）" : "";
      out.push({
        tenantId,
        ticketNumber: p.ticketNumber,
        birthDate: p.birthDate,
        note: `${age}歳${age >= 65 ? "・65歳以上" : ""}${e2e}`,
      });
    }
  }
  return out;
}

/**
 * A few bookings made "last week", so the staff pages have something to show: phone bookings by
 * residents with neither e-mail nor LINE (the reminder call list, /admin/reminders, lists them on
 * the day before), and one web booking with an e-mail address (its reminder appears in /dev/mail).
 * Two residents booked in English (issue 15): Maria on the web (her mails, in English, in /dev/mail)
 * and Alex from LINE (the English confirmation and reminder pushes appear in /dev/line under
 * 「Alex（English）」, a friend who chose English).
 * Their ticket numbers (1000000101…) are not printed: they are already booked.
 */
const DEMO_BOOKINGS = [
  { day: 1, time: "10:00", name: "山本 ハナ", phone: "0736-11-2233", email: "", proxyNote: "長男が代理で電話" },
  { day: 1, time: "13:30", name: "中西 シゲル", phone: "0736-44-5566", email: "", proxyNote: null },
  { day: 2, time: "10:30", name: "岡田 トミ", phone: "0736-77-8899", email: "", proxyNote: null },
  { day: 1, time: "11:00", name: "森 陽子", phone: "090-1111-0000", email: "mori.yoko@example.jp", proxyNote: null },
  // Booked on the web, then cancelled: she calls without her ticket to book again, and the phone
  // page finds her by 「田中 ヨシ子」 + 1944-05-15 (tests/e2e/phone-range.spec.ts uses her).
  {
    day: 2,
    time: "14:00",
    name: "田中 ヨシ子",
    phone: "0736-55-1212",
    email: "tanaka.yoshiko@example.jp",
    proxyNote: null,
    cancelled: true,
  },
  { day: 1, time: "11:00", name: "Maria Santos", phone: "", email: "maria.santos@example.com", language: "en" },
  {
    day: 1,
    time: "14:00",
    name: "Alex Smith",
    phone: "",
    email: "alex.smith@example.com",
    language: "en",
    lineUserId: DEMO_ENGLISH_RESIDENT.lineUserId,
  },
  // 「家族の代わりに予約する」 (issue 15): a son booked on the web for his mother with her ticket; the
  // notices go to his e-mail, and the staff lists show 「ウェブで家族が代理予約（子：松本 健二）」.
  {
    day: 2,
    time: "11:00",
    name: "松本 キヨ",
    phone: "",
    email: "matsumoto.kenji@example.jp",
    proxyNote: null,
    family: { name: "松本 健二", relation: "child" },
  },
] as const;

async function seedDemoBookings(
  db: Db,
  tenantId: string,
  bookable: { day: number; time: string; slotId: string }[],
  now: Date,
) {
  const holders = await makeTicketHolders(
    db,
    tenantId,
    DEMO_BOOKINGS.map((_, i) => ({ ticketNumber: String(1_000_000_101 + i), birthDate: `194${i}-0${i + 1}-15` })),
  );
  // Alex follows the city and chose English in the survey; his booking below is linked to LINE.
  await addFriend(db, tenantId, {
    lineUserId: DEMO_ENGLISH_RESIDENT.lineUserId,
    gender: "no_answer",
    ageBand: "30s",
    language: "en",
  });
  const ids: string[] = [];
  for (const [i, b] of DEMO_BOOKINGS.entries()) {
    const slot = bookable.find((s) => s.day === b.day && s.time === b.time);
    if (!slot) continue;
    const phone = b.email === "";
    const r = await bookSlot(
      db,
      {
        tenantId,
        slotId: slot.slotId,
        ticketHolderId: holders[i]!.id,
        channel: "lineUserId" in b ? "line" : phone ? "phone" : "web",
        contact: { name: b.name, phone: b.phone, email: b.email },
        proxyNote: "family" in b ? familyProxyNote(b.family) : "proxyNote" in b ? b.proxyNote : null,
        family: "family" in b ? b.family : null,
        lineUserId: "lineUserId" in b ? b.lineUserId : null,
        language: "language" in b ? b.language : "ja",
        idempotencyKey: `demo-booking-${i}`,
      },
      now,
    );
    if (!r.ok) continue;
    ids.push(r.reservation.id);
    if ("cancelled" in b)
      await cancelReservation(db, { tenantId, reservationId: r.reservation.id, actor: { kind: "resident" } }, now);
  }
  // Booked a week ago: a reminder is not due for a booking made after its time (rules.ts).
  if (ids.length) {
    await withTenant(db, tenantId, (tx) =>
      tx
        .update(reservations)
        .set({ createdAt: sql`now() - interval '7 days'`, updatedAt: sql`now() - interval '7 days'` })
        .where(and(eq(reservations.tenantId, tenantId), inArray(reservations.id, ids))),
    );
  }
}
