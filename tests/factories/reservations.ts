import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { services, slots, ticketHolders, venues, type EligibilityPhase } from "#db/schema/index";
import { hashTicketForTenant } from "~/features/reservations/identity.server";

let seq = 0;

/** A vaccination-like service; shared by tests and the demo seed. */
export async function makeService(
  db: Db,
  tenantId: string,
  overrides: Partial<{
    name: string;
    doses: number;
    minIntervalDays: number;
    phases: EligibilityPhase[];
    bookingWindowDays: number;
    changeCutoffHours: number;
    ageReferenceDate: string;
    whatToBring: string;
  }> = {},
) {
  return withTenant(db, tenantId, async (tx) => {
    const [s] = await tx
      .insert(services)
      .values({
        tenantId,
        name: overrides.name ?? "新型コロナワクチン接種",
        doses: overrides.doses ?? 2,
        minIntervalDays: overrides.minIntervalDays ?? 21,
        ageReferenceDate: overrides.ageReferenceDate ?? "2027-03-31",
        phases: overrides.phases ?? [],
        bookingWindowDays: overrides.bookingWindowDays ?? 60,
        changeCutoffHours: overrides.changeCutoffHours ?? 24,
        whatToBring: overrides.whatToBring ?? "接種券、本人確認書類（運転免許証・保険証など）、お薬手帳",
      })
      .returning();
    return s!;
  });
}

export async function makeVenue(
  db: Db,
  tenantId: string,
  overrides: Partial<{ name: string; address: string; lat: number; lng: number }> = {},
) {
  seq++;
  return withTenant(db, tenantId, async (tx) => {
    const [v] = await tx
      .insert(venues)
      .values({
        tenantId,
        name: overrides.name ?? `市民会館${seq}`,
        address: overrides.address ?? `本町${seq}-1`,
        lat: overrides.lat ?? 34.27,
        lng: overrides.lng ?? 135.4,
        accessNotes: "駐車場あり",
        barrierFreeNotes: "車いす対応トイレあり",
      })
      .returning();
    return v!;
  });
}

export async function makeSlot(
  db: Db,
  tenantId: string,
  input: {
    venueId: string;
    serviceId: string;
    startsAt: Date;
    minutes?: number;
    webCapacity?: number;
    phoneCapacity?: number;
  },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [s] = await tx
      .insert(slots)
      .values({
        tenantId,
        venueId: input.venueId,
        serviceId: input.serviceId,
        startsAt: input.startsAt,
        endsAt: new Date(input.startsAt.getTime() + (input.minutes ?? 30) * 60_000),
        webCapacity: input.webCapacity ?? 20,
        phoneCapacity: input.phoneCapacity ?? 10,
      })
      .returning();
    return s!;
  });
}

/** Roster rows with known ticket numbers (stored hashed, as the import stores them). */
export async function makeTicketHolders(
  db: Db,
  tenantId: string,
  people: { ticketNumber: string; birthDate: string }[],
) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = [];
    for (let i = 0; i < people.length; i += 1000) {
      const chunk = people
        .slice(i, i + 1000)
        .map((p) => ({ tenantId, ticketHash: hashTicketForTenant(tenantId, p.ticketNumber), birthDate: p.birthDate }));
      rows.push(...(await tx.insert(ticketHolders).values(chunk).returning()));
    }
    return rows;
  });
}

/** `count` ten-digit ticket numbers starting at `start`. */
export function ticketNumbers(count: number, start = 1_000_000_000) {
  return Array.from({ length: count }, (_, i) => String(start + i));
}
