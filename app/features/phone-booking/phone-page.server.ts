import type { Db } from "#db/client.server";
import { addDays, daysBetween, isCalendarDate, tokyoDateOf } from "~/lib/japan-time";
import { viewHolder } from "./holder.server";
import type { Picker } from "./phone-booking.schemas";
import { listActiveVenues, MAX_RANGE_DAYS, openSlotsInRange, type RangeSlot } from "./slots.server";

export type PageSlot = RangeSlot & { past: boolean };

/** Days shown when staff have not chosen: "next week" is the usual question. */
export const DEFAULT_RANGE_DAYS = 7;

/** The range in the URL, or the default; an impossible one gets a message instead of slots. */
export function rangeOf(picker: Pick<Picker, "from" | "to">, today: string) {
  const asked = picker.from && isCalendarDate(picker.from) ? picker.from : today;
  // Past days have no bookable slots: start from today rather than show an empty past.
  const from = asked < today ? today : asked;
  const to = picker.to && isCalendarDate(picker.to) ? picker.to : addDays(from, DEFAULT_RANGE_DAYS - 1);
  if (to < from) return { from, to, error: "終了日は開始日と同じか、それより後の日付にしてください。" };
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS)
    return { from, to, error: `一度に表示できるのは${MAX_RANGE_DAYS}日分までです。期間を短くしてください。` };
  return { from, to, error: null };
}

/**
 * Everything the phone-booking page shows for one state of its URL (?holder, ?venue, ?from, ?to,
 * ?change, ?cancel). The holder's reservations are read (and the read audited) only when a holder
 * is on screen; then the slots with room over the range, in one query.
 */
export async function loadPhonePage(
  db: Db,
  input: { tenantId: string; picker: Picker; staffUserId: string; ip?: string | null },
  now = new Date(),
) {
  const today = tokyoDateOf(now);
  const { picker } = input;

  const holder = picker.holder
    ? await viewHolder(db, {
        tenantId: input.tenantId,
        holderId: picker.holder,
        staffUserId: input.staffUserId,
        ip: input.ip,
      })
    : null;
  const range = rangeOf(picker, today);
  const base = {
    today,
    holderMissing: Boolean(picker.holder) && !holder,
    idempotencyKey: crypto.randomUUID(),
    range,
  };
  if (!holder)
    return { ...base, holder: null, venues: [], venueId: null, slots: null, changing: null, cancelling: null };

  const active = (id: string | undefined) =>
    id ? (holder.reservations.find((r) => r.id === id && r.status === "booked") ?? null) : null;
  const changing = active(picker.change);
  const cancelling = changing ? null : active(picker.cancel);
  const venues = await listActiveVenues(db, input.tenantId);
  const venueId = picker.venue && venues.some((v) => v.id === picker.venue) ? picker.venue : null;
  // A change stays within the reservation's service and quota: the engine refuses anything else.
  const slots: PageSlot[] | null = range.error
    ? null
    : (
        await openSlotsInRange(
          db,
          {
            tenantId: input.tenantId,
            from: range.from,
            to: range.to,
            venueId,
            serviceId: changing?.serviceId ?? null,
            quota: changing?.quota ?? "phone",
          },
          now,
        )
      ).map((s) => ({ ...s, past: false }));
  return { ...base, holder, venues, venueId, slots, changing, cancelling };
}

export type PhonePage = Awaited<ReturnType<typeof loadPhonePage>>;
