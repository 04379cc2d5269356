import type { Db } from "#db/client.server";
import { isCalendarDate, tokyoDateOf } from "~/lib/japan-time";
import { viewHolder } from "./holder.server";
import type { Picker } from "./phone-booking.schemas";
import { listActiveVenues, slotsForVenueDay, type PickerSlot } from "./slots.server";

export type PageSlot = PickerSlot & { past: boolean };

/**
 * Everything the phone-booking page shows for one state of its URL (?holder, ?venue, ?date,
 * ?change, ?cancel). The holder's reservations are read (and the read audited) only when a holder
 * is on screen; slots only once a holder and a venue are chosen.
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
  const base = {
    today,
    holderMissing: Boolean(picker.holder) && !holder,
    idempotencyKey: crypto.randomUUID(),
  };
  if (!holder)
    return {
      ...base,
      holder: null,
      venues: [],
      venueId: null,
      date: today,
      slots: null,
      changing: null,
      cancelling: null,
    };

  const active = (id: string | undefined) =>
    id ? (holder.reservations.find((r) => r.id === id && r.status === "booked") ?? null) : null;
  const changing = active(picker.change);
  const cancelling = changing ? null : active(picker.cancel);
  const venues = await listActiveVenues(db, input.tenantId);
  const venueId = picker.venue && venues.some((v) => v.id === picker.venue) ? picker.venue : null;
  const date = picker.date && isCalendarDate(picker.date) ? picker.date : today;
  let slots: PageSlot[] | null = null;
  if (venueId) {
    const all = await slotsForVenueDay(db, { tenantId: input.tenantId, venueId, date });
    // A change stays within the reservation's service: the engine refuses a move to another one.
    slots = all
      .filter((s) => !changing || s.serviceId === changing.serviceId)
      .map((s) => ({ ...s, past: s.startsAt <= now }));
  }
  return { ...base, holder, venues, venueId, date, slots, changing, cancelling };
}

export type PhonePage = Awaited<ReturnType<typeof loadPhonePage>>;
