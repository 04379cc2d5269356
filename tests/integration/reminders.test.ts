import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reminderSends, reservations, usageMonthly, type Service, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { sendReminder } from "#jobs/processors/reminders/send-reminder";
import { recordBlock, recordFollow } from "~/features/line/friends.server";
import { dueAt } from "~/features/reminders/rules";
import { sweepReminders } from "~/features/reminders/sweep.server";
import { bookSlot } from "~/features/reservations/booking.server";
import { cancelReservation, changeReservation } from "~/features/reservations/change-cancel.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import type { Mailer } from "~/integrations/mail.server";
import { formatDateTimeFor } from "~/lib/i18n/dates";
import { closeRedis } from "~/lib/redis.server";
import type { PlainChannel } from "#tests/factories/line";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { testDbs } from "#tests/setup/db";
import { startNoticeWorld, type NoticeWorld } from "#tests/setup/notice-world";

/**
 * Issue 5, item 3: reminders with the real PostgreSQL, Redis (BullMQ through the outbox) and the LINE
 * emulator, under a controllable clock — the sweep takes `now`, so a test walks a reservation from
 * "not due" to "due" to "sent once" without waiting a day. LINE bookers get a push, e-mail bookers a
 * mail, phone bookers without either land on the call list with nothing sent; a change reschedules,
 * a cancel (even one between queueing and sending) sends nothing.
 */
const dbs = testDbs();
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const DAY_BEFORE = { kind: "days-before", days: 1, at: "10:00" } as const;
const TWO_HOURS = { kind: "hours-before", hours: 2 } as const;

let w: NoticeWorld;
let key: Buffer;
let ctl: NoticeWorld["ctl"];
let line: LineApiConfig;
let city: Tenant;
let channel: PlainChannel;
let service: Service;
let venueId: string;
let ticket = 5_200_000_000;
let dayOffset = 3;

beforeAll(async () => {
  w = await startNoticeWorld(dbs.appDb, { cityName: "リマインダー市", loginChannelSecret: "login-secret-reminders" });
  ({ key, ctl, line, city, channel } = w);
  // The factory's service gets the column default: the day before at 10:00 and 2 hours before.
  service = await makeService(dbs.appDb, city.id, { whatToBring: "接種券と本人確認書類" });
  venueId = (await makeVenue(dbs.appDb, city.id, { name: "中央公民館", address: "本町1-1" })).id;
});
afterAll(async () => {
  await w.close();
  await closeRedis();
  await dbs.close();
});

/** 09:30 in Japan, some days from today (a fresh day per call, so tests never share a slot). */
function nextSessionStart(hour = 9, minute = 30) {
  const d = dayOffset++;
  const tokyoToday = Math.floor((Date.now() + 9 * HOUR) / DAY) * DAY - 9 * HOUR;
  return new Date(tokyoToday + d * DAY + (hour * 60 + minute) * 60_000);
}
const newSlot = async (startsAt = nextSessionStart()) =>
  makeSlot(dbs.appDb, city.id, { venueId, serviceId: service.id, startsAt });

type Who = { kind: "line"; userId: string; email?: string } | { kind: "email"; email: string } | { kind: "phone" };
async function book(slotId: string, who: Who, name = "紀ノ川 花子") {
  const ticketNumber = String(++ticket);
  const [holder] = await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
  const r = await bookSlot(dbs.appDb, {
    tenantId: city.id,
    slotId,
    ticketHolderId: holder!.id,
    channel: who.kind === "email" ? "web" : who.kind,
    contact: { name, phone: "073-000-0000", email: who.kind === "phone" ? "" : (who.email ?? "") },
    lineUserId: who.kind === "line" ? who.userId : null,
    idempotencyKey: crypto.randomUUID(),
  });
  if (!r.ok) throw new Error(r.message);
  return r.reservation.id;
}

const sweep = (now: Date) => sweepReminders(dbs.appDb, now, { tenantIds: [city.id] });
const processAll = () => w.processAll();
const remindersMailedTo = async (email: string) =>
  (await w.mailsTo(email)).filter((m) => m.subject.includes("ご予約日時のお知らせ"));
const remindersPushedTo = async (userId: string) =>
  (await ctl.sent(channel.channelId, userId)).filter(
    (m) => m.kind === "push" && m.messages[0]?.text?.includes("ご予約日時が近づいています"),
  );
const ledger = (reservationId: string) =>
  dbs.ownerDb
    .select()
    .from(reminderSends)
    .where(eq(reminderSends.reservationId, reservationId))
    .orderBy(reminderSends.dueAt);
async function follower() {
  const userId = await ctl.newUser();
  await withTenant(dbs.appDb, city.id, (tx) => recordFollow(tx, city.id, userId, new Date()));
  return userId;
}

describe("timing with a controllable clock", () => {
  it("not due → due → sent once by the right channel; the sweep run again sends nothing more", async () => {
    const slot = await newSlot();
    const userId = await follower();
    const linked = await book(slot.id, { kind: "line", userId, email: "linked@example.jp" });
    const mailed = await book(slot.id, { kind: "email", email: "mailed@example.jp" });
    const phoned = await book(slot.id, { kind: "phone" }, "電話 予約子");
    await processAll(); // the confirmations
    const usageBefore = await lineUsage();

    const due = dueAt(DAY_BEFORE, slot.startsAt);
    expect(await sweep(new Date(due.getTime() - 1000))).toMatchObject({ queued: 0, dropped: 0 });
    expect(await ledger(linked)).toEqual([]);

    expect(await sweep(due)).toMatchObject({ queued: 3 });
    expect(await sweep(new Date(due.getTime() + 60_000))).toMatchObject({ queued: 0 });
    await processAll();

    const pushes = await remindersPushedTo(userId);
    expect(pushes).toHaveLength(1);
    const text = pushes[0]!.messages[0]!.text!;
    expect(text).toContain("【リマインダー市】ご予約日時が近づいています");
    expect(text).toContain("会場：中央公民館（本町1-1）");
    expect(text).toContain("持ち物：接種券と本人確認書類");
    expect(text).toContain(`https://liff.line.me/${channel.liffId}/reservation`);
    expect(text).not.toContain("紀ノ川 花子");
    expect(await remindersMailedTo("linked@example.jp")).toHaveLength(0);
    expect(await lineUsage()).toBe(usageBefore + 1);

    const mails = await remindersMailedTo("mailed@example.jp");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain("紀ノ川 花子 様");
    expect(mails[0]!.text).toContain("会場：中央公民館（本町1-1）");
    expect(mails[0]!.text).toContain("http://madoguchi.test/c/");

    expect((await ledger(linked)).map((r) => [r.ruleKey, r.status, r.channel])).toEqual([["d1-1000", "sent", "line"]]);
    expect((await ledger(mailed)).map((r) => [r.ruleKey, r.status, r.channel])).toEqual([["d1-1000", "sent", "email"]]);
    expect((await ledger(phoned)).map((r) => [r.ruleKey, r.status, r.channel])).toEqual([
      ["d1-1000", "sent", "call-list"],
    ]);

    // The sweep and the relay again: nothing more goes out.
    await sweep(new Date(due.getTime() + 5 * 60_000));
    await processAll();
    expect(await remindersPushedTo(userId)).toHaveLength(1);
    expect(await remindersMailedTo("mailed@example.jp")).toHaveLength(1);

    // Two hours before: the second reminder, once each.
    const second = dueAt(TWO_HOURS, slot.startsAt);
    expect(await sweep(new Date(second.getTime() - 1000))).toMatchObject({ queued: 0 });
    expect(await sweep(second)).toMatchObject({ queued: 3 });
    await processAll();
    expect(await remindersPushedTo(userId)).toHaveLength(2);
    expect(await remindersMailedTo("mailed@example.jp")).toHaveLength(2);
    expect((await ledger(phoned)).map((r) => [r.ruleKey, r.channel])).toEqual([
      ["d1-1000", "call-list"],
      ["h2", "call-list"],
    ]);
    // At or after the start, nothing is due any more.
    expect(await sweep(slot.startsAt)).toMatchObject({ queued: 0, dropped: 0 });
  });

  it("after an outage only the latest due reminder goes; one booked after the due time gets none", async () => {
    const slot = await newSlot();
    const id = await book(slot.id, { kind: "email", email: "outage@example.jp" });
    // The worker was down from before 10:00 the day before until 1 hour before the start.
    expect(await sweep(new Date(slot.startsAt.getTime() - HOUR))).toMatchObject({ queued: 1, dropped: 1 });
    await processAll();
    expect(await remindersMailedTo("outage@example.jp")).toHaveLength(1);
    expect((await ledger(id)).map((r) => [r.ruleKey, r.status, r.dropReason])).toEqual([
      ["d1-1000", "dropped", "superseded"],
      ["h2", "sent", null],
    ]);

    // Booked 1 hour before the start (a slot starting in an hour): the confirmation is the reminder.
    const soon = await newSlot(new Date(Math.ceil((Date.now() + HOUR) / 60_000) * 60_000));
    const late = await book(soon.id, { kind: "email", email: "late@example.jp" });
    expect(await sweep(new Date(Date.now() + 60_000))).toMatchObject({ queued: 0 });
    expect((await ledger(late)).map((r) => [r.ruleKey, r.status, r.dropReason])).toEqual([
      ["d1-1000", "dropped", "booked-late"],
      ["h2", "dropped", "booked-late"],
    ]);
  });
});

describe("fallbacks", () => {
  it("a linked resident who blocked the account gets e-mail; without e-mail, the call list", async () => {
    const slot = await newSlot();
    const blocker = await follower();
    await withTenant(dbs.appDb, city.id, (tx) => recordBlock(tx, city.id, blocker, new Date()));
    const withMail = await book(slot.id, { kind: "line", userId: blocker, email: "blocked@example.jp" });
    const stranger = await ctl.newUser(); // never followed
    const noMail = await book(slot.id, { kind: "line", userId: stranger });
    await sweep(dueAt(DAY_BEFORE, slot.startsAt));
    await processAll();
    expect(await remindersMailedTo("blocked@example.jp")).toHaveLength(1);
    expect(await remindersPushedTo(blocker)).toHaveLength(0);
    expect(await remindersPushedTo(stranger)).toHaveLength(0);
    expect((await ledger(withMail))[0]?.channel).toBe("email");
    expect((await ledger(noMail))[0]?.channel).toBe("call-list");
  });
});

describe("change and cancel", () => {
  it("a change: the old slot's reminders are never sent, the new slot's are", async () => {
    const oldSlot = await newSlot();
    const newer = await newSlot();
    const id = await book(oldSlot.id, { kind: "email", email: "mover@example.jp" });
    const oldDue = dueAt(DAY_BEFORE, oldSlot.startsAt);
    // Queued for the old slot, then moved before the job ran.
    expect(await sweep(oldDue)).toMatchObject({ queued: 1 });
    expect(
      (
        await changeReservation(dbs.appDb, {
          tenantId: city.id,
          reservationId: id,
          newSlotId: newer.id,
          actor: { kind: "resident" },
        })
      ).ok,
    ).toBe(true);
    await processAll();
    expect(await remindersMailedTo("mover@example.jp")).toHaveLength(0);
    expect((await ledger(id)).map((r) => [r.slotId, r.status, r.dropReason])).toEqual([
      [oldSlot.id, "dropped", "moved"],
    ]);
    // The old slot's next reminder time passes: nothing for this reservation.
    expect(await sweep(dueAt(TWO_HOURS, oldSlot.startsAt))).toMatchObject({ queued: 0 });

    // The new slot's reminders come at their own times.
    expect(await sweep(new Date(dueAt(DAY_BEFORE, newer.startsAt).getTime() - 1000))).toMatchObject({ queued: 0 });
    expect(await sweep(dueAt(DAY_BEFORE, newer.startsAt))).toMatchObject({ queued: 1 });
    await processAll();
    const mails = await remindersMailedTo("mover@example.jp");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(formatDateTimeFor("ja", newer.startsAt));
    expect(mails[0]!.text).not.toContain(formatDateTimeFor("ja", oldSlot.startsAt));
    const [row] = await dbs.ownerDb.select().from(reservations).where(eq(reservations.id, id));
    expect(row!.slotId).toBe(newer.id);
    expect((await ledger(id)).filter((r) => r.slotId === newer.id).map((r) => [r.ruleKey, r.channel])).toEqual([
      ["d1-1000", "email"],
    ]);
  });

  it("a cancel: no reminder — neither when cancelled before the sweep nor between queueing and sending", async () => {
    const slot = await newSlot();
    const userId = await follower();
    const early = await book(slot.id, { kind: "email", email: "early-cancel@example.jp" });
    const between = await book(slot.id, { kind: "line", userId, email: "between@example.jp" });
    expect(
      (await cancelReservation(dbs.appDb, { tenantId: city.id, reservationId: early, actor: { kind: "resident" } })).ok,
    ).toBe(true);
    expect(await sweep(dueAt(DAY_BEFORE, slot.startsAt))).toMatchObject({ queued: 1 });
    expect(await ledger(early)).toEqual([]);
    // Cancelled after the sweep queued its reminder, before the worker ran it.
    expect(
      (await cancelReservation(dbs.appDb, { tenantId: city.id, reservationId: between, actor: { kind: "resident" } }))
        .ok,
    ).toBe(true);
    await processAll();
    expect(await remindersPushedTo(userId)).toHaveLength(0);
    expect(await remindersMailedTo("between@example.jp")).toHaveLength(0);
    expect(await remindersMailedTo("early-cancel@example.jp")).toHaveLength(0);
    expect((await ledger(between)).map((r) => [r.status, r.dropReason])).toEqual([["dropped", "cancelled"]]);
    expect(await sweep(dueAt(TWO_HOURS, slot.startsAt))).toMatchObject({ queued: 0 });
  });

  it("a cancel arriving while the reminder is being sent waits for the send, and the next reminder is not sent", async () => {
    const slot = await newSlot();
    const id = await book(slot.id, { kind: "email", email: "racing@example.jp" });
    await sweep(dueAt(DAY_BEFORE, slot.startsAt));
    const [row] = await ledger(id);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inSend = new Promise<void>((r) => (entered = r));
    const sent: string[] = [];
    const mailer: Mailer = {
      async send(mail) {
        entered();
        await gate;
        sent.push(String(mail.to));
        return { messageId: "held" };
      },
      close() {},
    };
    const sending = sendReminder(
      { db: dbs.appDb, mailer, key, appOrigin: "http://madoguchi.test", line },
      { tenantId: city.id, reminderId: row!.id },
    );
    await inSend;
    let cancelDone = false;
    const cancelling = cancelReservation(dbs.appDb, {
      tenantId: city.id,
      reservationId: id,
      actor: { kind: "resident" },
    }).then((r) => ((cancelDone = true), r));
    await new Promise((r) => setTimeout(r, 300));
    expect(cancelDone).toBe(false); // held by the send's FOR SHARE lock
    release();
    expect(await sending).toBe("email");
    expect((await cancelling).ok).toBe(true);
    expect(sent).toEqual(["racing@example.jp"]);
    // The reminder left before the cancel; the later one never does.
    expect(await sweep(dueAt(TWO_HOURS, slot.startsAt))).toMatchObject({ queued: 0 });
    // Running the job again (a retry) does not send twice.
    expect(
      await sendReminder(
        { db: dbs.appDb, mailer, key, appOrigin: "http://madoguchi.test", line },
        { tenantId: city.id, reminderId: row!.id },
      ),
    ).toBe("already-sent");
    expect(sent).toHaveLength(1);
  });
});

async function lineUsage() {
  const [u] = await dbs.ownerDb
    .select()
    .from(usageMonthly)
    .where(and(eq(usageMonthly.tenantId, city.id), eq(usageMonthly.metric, "line_messages")));
  return u?.count ?? 0;
}
