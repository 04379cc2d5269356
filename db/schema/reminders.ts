import { sql } from "drizzle-orm";
import { foreignKey, index, pgEnum, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { reservations, slots } from "./reservations";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";
import { staffUsers } from "./users";

export const reminderStatus = pgEnum("reminder_status", ["queued", "sent", "dropped", "failed"]);
export const reminderChannel = pgEnum("reminder_channel", ["line", "email", "call-list"]);

/**
 * One reminder of one reservation for one slot and one rule (ADR reminders). Reminders are not
 * scheduled ahead: the sweep finds the due ones from the reservations and inserts a row here
 * ("queued") together with its outbox job, so the UNIQUE key makes each reminder exist once. A
 * change moves the reservation to another slot, whose reminders are new keys; the old slot's queued
 * rows are dropped at send time. The send re-checks the reservation inside the transaction that
 * turns the row to "sent" and records the channel: LINE, e-mail, or the staff call list (no contact).
 * A row whose job exhausted its retries becomes "failed" (never re-sent) and goes on the call list.
 * `called_at`: a staff member phoned the resident (電話済み), from the call-list page.
 */
export const reminderSends = pgTable(
  "reminder_sends",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid().notNull(),
    reservationId: uuid().notNull(),
    slotId: uuid().notNull(),
    /** The rule's stable key (see ruleKey()): "d1-1000" = the day before at 10:00, "h2" = 2 hours before. */
    ruleKey: text().notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    status: reminderStatus().notNull().default("queued"),
    channel: reminderChannel(),
    /** Why a queued reminder was not sent: cancelled, moved (changed slot), rule-removed, started. */
    dropReason: text(),
    queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    /** "failed": the send job used up its retries (LINE or mail down); the resident is on the call list instead. */
    failedAt: timestamp({ withTimezone: true }),
    failReason: text(),
    calledAt: timestamp({ withTimezone: true }),
    calledByStaffId: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
  },
  (t) => [
    unique("reminder_sends_once").on(t.tenantId, t.reservationId, t.slotId, t.ruleKey),
    index("reminder_sends_due_idx").on(t.tenantId, t.dueAt),
    // The sweep's per-minute look for stuck rows (features/reminders/stuck.server.ts) reads only these.
    index("reminder_sends_queued_idx")
      .on(t.tenantId, t.queuedAt)
      .where(sql`status = 'queued'`),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({
      columns: [t.tenantId, t.reservationId],
      foreignColumns: [reservations.tenantId, reservations.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.slotId], foreignColumns: [slots.tenantId, slots.id] }).onDelete("cascade"),
    tenantIsolation("reminder_sends"),
  ],
).enableRLS();

export type ReminderSend = typeof reminderSends.$inferSelect;
export type ReminderChannel = (typeof reminderChannel.enumValues)[number];
