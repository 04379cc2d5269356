import type { Service } from "#db/schema/index";
import { earliestNextDose, eligibility } from "./eligibility";
import type { Refusal } from "./refusals";
import { hasFreeSeat, type Quota } from "./seats.server";

/**
 * The booking rules as pure functions of facts already read, shared by "book" (booking.server, whose
 * SQL is in booking-tx.server) and "change" (change-cancel.server). Both of those import this module
 * and neither imports the other's, so the three have no import cycle.
 */

/**
 * A booking rule said no. Thrown and caught by "book" and "change"; in an opening rush most attempts end
 * here ("full"), so it skips the stack trace an Error would capture — it carries no bug to debug.
 */
export class Refused extends Error {
  constructor(
    readonly reason: Refusal,
    readonly opensAt?: Date | null,
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(reason);
    Error.stackTraceLimit = limit;
  }
}

/** What the booking rules need to know about a slot, its service and the holder's active reservations. */
export type SlotFacts = {
  slot: {
    status: string;
    startsAt: Date;
    webBooked: number;
    webCapacity: number;
    phoneBooked: number;
    phoneCapacity: number;
  };
  service: {
    id: string;
    active: boolean;
    doses: number;
    minIntervalDays: number;
    bookingWindowDays: number;
    phases: Service["phases"];
    ageReferenceDate: string;
  };
  holder: { id: string; birthDate: string };
  active: { id: string; dose: number; startsAt: Date }[];
};

/**
 * The booking rules, as a pure function of the facts: service and slot state, phase, booking window,
 * dose order and interval. Returns the dose this booking would be, or throws Refused.
 * `excludeReservationId` ignores the reservation being moved.
 */
export function evaluateSlot(facts: SlotFacts, input: { excludeReservationId?: string; quota?: Quota }, now: Date) {
  const { slot, service, holder, active } = facts;
  if (!service.active) throw new Refused("not-found");
  if (slot.status !== "open") throw new Refused("closed");
  // A full slot answers at once (the conditional UPDATE still decides races).
  if (input.quota && !hasFreeSeat(slot, input.quota)) throw new Refused("full");
  if (slot.startsAt <= now) throw new Refused("outside-window");
  if (slot.startsAt.getTime() > now.getTime() + service.bookingWindowDays * 24 * 3600 * 1000)
    throw new Refused("outside-window");
  const elig = eligibility(service.phases, holder.birthDate, service.ageReferenceDate, now);
  if (!elig.ok) throw new Refused("not-eligible", elig.opensAt);

  const others = active.filter((r) => r.id !== input.excludeReservationId);
  const moving = active.find((r) => r.id === input.excludeReservationId);
  const dose = moving ? moving.dose : others.length + 1;
  if (dose > service.doses) throw new Refused("all-doses-done");
  const previous = others.find((r) => r.dose === dose - 1);
  if (previous && slot.startsAt < earliestNextDose(previous.startsAt, service.minIntervalDays))
    throw new Refused("too-early-for-dose");
  const following = others.find((r) => r.dose === dose + 1);
  if (following && following.startsAt < earliestNextDose(slot.startsAt, service.minIntervalDays))
    throw new Refused("too-early-for-dose");
  return dose;
}
