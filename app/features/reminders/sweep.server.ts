import { and, asc, eq, gt, lt, ne, notExists, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { reminderSends, reservations, services, slots, tenants, type ReminderRule } from "#db/schema/index";
import { onReservationSlot } from "#db/joins";
import { withTenant } from "#db/with-tenant.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { dueAt, dueForStartsBefore, reminderVerdict, ruleKey } from "./rules";
import { failStuckReminders } from "./stuck.server";

/**
 * The reminder sweep (ADR reminders). Reminders are computed, not pre-scheduled: every minute, for
 * each city, service and rule, one indexed range scan finds the booked reservations whose reminder
 * has come due (slot start in (now, dueForStartsBefore)) and that have no ledger row for
 * (reservation, slot, rule) yet. Each gets a `reminder_sends` row and, when it is to be sent, its
 * `send-reminder` outbox job — in one tenant transaction, so the UNIQUE key makes every reminder
 * exist once even when two sweeps overlap, and nothing is lost when Redis is down.
 *
 * Rows that must not be sent (booked after the due time, or superseded by a later rule already due)
 * are recorded as dropped, so the next minute's sweep does not read them again. The booking hot
 * path is untouched: a change moves the reservation to a new slot, whose reminders are new keys.
 */

export const SWEEP_BATCH = 500;

export type SweepResult = { cities: number; queued: number; dropped: number; stuck: number };

/** Every city that may message residents: a suspended city sends nothing (its pages are closed too). */
export async function sweepReminders(
  db: Db,
  now = new Date(),
  opts: { batch?: number; tenantIds?: string[] } = {},
): Promise<SweepResult> {
  const cities =
    opts.tenantIds ??
    (await db.select({ id: tenants.id }).from(tenants).where(ne(tenants.status, "suspended"))).map((c) => c.id);
  const total: SweepResult = { cities: cities.length, queued: 0, dropped: 0, stuck: 0 };
  for (const tenantId of cities) {
    const r = await sweepCity(db, tenantId, now, opts.batch ?? SWEEP_BATCH);
    total.queued += r.queued;
    total.dropped += r.dropped;
    total.stuck += r.stuck;
  }
  return total;
}

export async function sweepCity(db: Db, tenantId: string, now: Date, batch = SWEEP_BATCH) {
  const list = await withTenant(db, tenantId, (tx) =>
    tx.select({ id: services.id, reminders: services.reminders }).from(services).where(eq(services.tenantId, tenantId)),
  );
  const result = { queued: 0, dropped: 0, stuck: await failStuckReminders(db, tenantId, now) };
  for (const service of list) {
    for (const rule of service.reminders) {
      let after: { startsAt: Date; id: string } | null = null;
      // Keyset pages: a whole day's reminders come due at once at 10:00 in a big city.
      for (;;) {
        const page = await sweepPage(db, {
          tenantId,
          serviceId: service.id,
          rules: service.reminders,
          rule,
          now,
          after,
          batch,
        });
        result.queued += page.queued;
        result.dropped += page.dropped;
        if (!page.last) break;
        after = page.last;
      }
    }
  }
  return result;
}

type PageInput = {
  tenantId: string;
  serviceId: string;
  rules: ReminderRule[];
  rule: ReminderRule;
  now: Date;
  after: { startsAt: Date; id: string } | null;
  batch: number;
};

async function sweepPage(db: Db, p: PageInput) {
  const key = ruleKey(p.rule);
  return withTenant(db, p.tenantId, async (tx) => {
    const rows = await tx
      .select({
        id: reservations.id,
        slotId: reservations.slotId,
        onSlotSince: reservations.updatedAt,
        startsAt: slots.startsAt,
      })
      .from(reservations)
      .innerJoin(slots, onReservationSlot)
      .where(
        and(
          eq(reservations.tenantId, p.tenantId),
          eq(slots.serviceId, p.serviceId),
          eq(reservations.status, "booked"),
          gt(slots.startsAt, p.now),
          lt(slots.startsAt, dueForStartsBefore(p.rule, p.now)),
          p.after
            ? or(
                gt(slots.startsAt, p.after.startsAt),
                and(eq(slots.startsAt, p.after.startsAt), gt(reservations.id, p.after.id)),
              )
            : undefined,
          notExists(
            tx
              .select({ one: sql`1` })
              .from(reminderSends)
              .where(
                and(
                  eq(reminderSends.tenantId, reservations.tenantId),
                  eq(reminderSends.reservationId, reservations.id),
                  eq(reminderSends.slotId, reservations.slotId),
                  eq(reminderSends.ruleKey, key),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(slots.startsAt), asc(reservations.id))
      .limit(p.batch);
    if (rows.length === 0) return { queued: 0, dropped: 0, last: null };
    const values = rows.map((r) => {
      const verdict = reminderVerdict(p.rules, p.rule, {
        slotStart: r.startsAt,
        onSlotSince: r.onSlotSince,
        now: p.now,
      });
      const send = verdict === "due";
      return {
        tenantId: p.tenantId,
        reservationId: r.id,
        slotId: r.slotId,
        ruleKey: key,
        dueAt: dueAt(p.rule, r.startsAt),
        // The sweep's clock, not the database's: the stuck-row rule compares against it.
        queuedAt: p.now,
        status: send ? ("queued" as const) : ("dropped" as const),
        dropReason: send ? null : verdict,
      };
    });
    const inserted = await tx
      .insert(reminderSends)
      .values(values)
      .onConflictDoNothing()
      .returning({ id: reminderSends.id, status: reminderSends.status });
    let queued = 0;
    for (const row of inserted) {
      if (row.status !== "queued") continue;
      await writeOutbox(tx, p.tenantId, "send-reminder", { tenantId: p.tenantId, reminderId: row.id });
      queued++;
    }
    const last = rows[rows.length - 1]!;
    return {
      queued,
      dropped: inserted.length - queued,
      last: rows.length === p.batch ? { startsAt: last.startsAt, id: last.id } : null,
    };
  });
}
