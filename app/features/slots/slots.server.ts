import { and, asc, count, eq, gte, lt } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reservations, services, slots, venues } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { isUuid, type StaffActor } from "~/features/services/services.server";
import type { FieldErrors } from "~/lib/forms";
import { pageInfo, readPage, toPage, type PageInfo } from "~/lib/paging";
import { addDays, isCalendarDate, tokyoDateOf, tokyoInstant } from "~/lib/japan-time";
import { SLOTS_PAGE_SIZE, WEEK_DAYS } from "./limits";
import { onSlotService, onSlotVenue } from "#db/joins";

export type SlotRow = {
  id: string;
  serviceName: string;
  startsAt: string;
  endsAt: string;
  webBooked: number;
  webCapacity: number;
  phoneBooked: number;
  phoneCapacity: number;
  status: "open" | "closed";
  closedReason: string | null;
};

/**
 * The slots page: one venue, seven days from `from` (Japan dates), grouped by day. Unknown or
 * foreign ids in the query string fall back to the first venue, never to an error page.
 *
 * A week can hold any number of slots (5-minute intervals, many services), so it is paged: each page
 * lists the days its slots fall on, and an empty day is shown on the one page whose span covers it.
 */
export async function slotWeek(
  db: Db,
  tenantId: string,
  query: { venueId?: string | null; from?: string | null; page?: string | null },
  now = new Date(),
) {
  const from = query.from && isCalendarDate(query.from) ? query.from : tokyoDateOf(now);
  const req = readPage(query.page, SLOTS_PAGE_SIZE);
  return withTenant(db, tenantId, async (tx) => {
    const venueList = await tx
      .select({ id: venues.id, name: venues.name, active: venues.active })
      .from(venues)
      .where(eq(venues.tenantId, tenantId))
      .orderBy(asc(venues.name));
    const serviceCount = await tx.select({ n: count() }).from(services).where(eq(services.tenantId, tenantId));
    const venue =
      venueList.find((v) => v.id === query.venueId) ?? venueList.find((v) => v.active) ?? venueList[0] ?? null;
    let days: { date: string; slots: SlotRow[] }[] = [];
    for (let i = 0; i < WEEK_DAYS; i++) days.push({ date: addDays(from, i), slots: [] });
    let paging: PageInfo = { page: 1, hasPrev: false, hasNext: false, firstIndex: 0 };
    if (venue) {
      const rows = await tx
        .select({
          id: slots.id,
          serviceName: services.name,
          startsAt: slots.startsAt,
          endsAt: slots.endsAt,
          webBooked: slots.webBooked,
          webCapacity: slots.webCapacity,
          phoneBooked: slots.phoneBooked,
          phoneCapacity: slots.phoneCapacity,
          status: slots.status,
          closedReason: slots.closedReason,
        })
        .from(slots)
        .innerJoin(services, onSlotService)
        .where(
          and(
            eq(slots.tenantId, tenantId),
            eq(slots.venueId, venue.id),
            gte(slots.startsAt, tokyoInstant(from, "00:00")),
            lt(slots.startsAt, tokyoInstant(addDays(from, WEEK_DAYS), "00:00")),
          ),
        )
        .orderBy(asc(slots.startsAt), asc(services.name), asc(slots.id)) // the id makes the order total, so pages never overlap
        .limit(req.limit)
        .offset(req.offset);
      const page = toPage(rows, req);
      paging = pageInfo(page);
      for (const r of page.items) {
        const day = days.find((d) => d.date === tokyoDateOf(r.startsAt));
        day?.slots.push({ ...r, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString() });
      }
      // Pages split the week: a day belongs to the pages its slots are on, an empty day to the page spanning it.
      const first = page.items[0] ? tokyoDateOf(page.items[0].startsAt) : null;
      const last = page.items.at(-1) ? tokyoDateOf(page.items.at(-1)!.startsAt) : null;
      days = days.filter(
        (d) =>
          (!page.hasPrev || (first !== null && d.date >= first)) &&
          (!page.hasNext || (last !== null && d.date <= last)),
      );
    }
    return { venues: venueList, venue, hasServices: serviceCount[0]!.n > 0, from, days, paging };
  });
}

/** One slot with its venue and service names and how many live bookings it holds. */
export async function getSlotDetail(db: Db, tenantId: string, slotId: string) {
  if (!isUuid(slotId)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ slot: slots, venueName: venues.name, serviceName: services.name })
      .from(slots)
      .innerJoin(venues, onSlotVenue)
      .innerJoin(services, onSlotService)
      .where(and(eq(slots.tenantId, tenantId), eq(slots.id, slotId)));
    if (!row) return null;
    const [booked] = await tx
      .select({ n: count() })
      .from(reservations)
      .where(
        and(eq(reservations.tenantId, tenantId), eq(reservations.slotId, slotId), eq(reservations.status, "booked")),
      );
    return { ...row, bookedReservations: booked!.n };
  });
}

export type CapacityResult = { ok: true } | { ok: false; errors: FieldErrors };

const QUOTA_CHECKS = new Set(["slots_web_quota", "slots_phone_quota"]);
const violatedCheck = (e: unknown) => (e as { cause?: { constraint_name?: string } }).cause?.constraint_name;

/**
 * Changes a slot's two quotas. Lowering one below the seats already booked is refused by the
 * database's CHECK itself (a booking may land between any read of ours and the update), and the
 * refusal is turned into a message naming how many are booked.
 */
export async function updateSlotCapacity(
  db: Db,
  tenantId: string,
  slotId: string,
  input: { webCapacity: number; phoneCapacity: number },
  actor: StaffActor,
): Promise<CapacityResult> {
  if (!isUuid(slotId)) return { ok: false, errors: { _form: "予約枠が見つかりません。" } };
  try {
    return await withTenant(db, tenantId, async (tx) => {
      const [before] = await tx
        .select()
        .from(slots)
        .where(and(eq(slots.tenantId, tenantId), eq(slots.id, slotId)));
      if (!before) return { ok: false as const, errors: { _form: "予約枠が見つかりません。" } };
      if (before.webCapacity === input.webCapacity && before.phoneCapacity === input.phoneCapacity)
        return { ok: true as const };
      await tx
        .update(slots)
        .set(input)
        .where(and(eq(slots.tenantId, tenantId), eq(slots.id, slotId)));
      await recordAudit(tx, {
        tenantId,
        actorKind: "staff",
        actorId: actor.staffUserId,
        action: "slot.capacity",
        targetType: "slot",
        targetId: slotId,
        detail: {
          from: { web: before.webCapacity, phone: before.phoneCapacity },
          to: { web: input.webCapacity, phone: input.phoneCapacity },
        },
        ip: actor.ip,
      });
      return { ok: true as const };
    });
  } catch (e) {
    if (!QUOTA_CHECKS.has(violatedCheck(e) ?? "")) throw e;
    // The transaction is gone; read the counters afresh to say which quota and by how much.
    const now = await withTenant(
      db,
      tenantId,
      async (tx) =>
        (
          await tx
            .select()
            .from(slots)
            .where(and(eq(slots.tenantId, tenantId), eq(slots.id, slotId)))
        )[0],
    );
    const errors: FieldErrors = {};
    if (now && input.webCapacity < now.webBooked)
      errors.webCapacity = `Web枠はすでに${now.webBooked}人が予約しているため、${now.webBooked}より少なくできません。`;
    if (now && input.phoneCapacity < now.phoneBooked)
      errors.phoneCapacity = `電話枠はすでに${now.phoneBooked}人が予約しているため、${now.phoneBooked}より少なくできません。`;
    if (Object.keys(errors).length === 0)
      errors._form = "予約済みの人数より少ない枠数にはできません。もう一度お試しください。";
    return { ok: false, errors };
  }
}
