import type { Pipe } from "#db/pipeline.server";
import type { BookingChannel } from "#db/schema/index";
import type { SlotFacts } from "./booking-rules.server";
import { takeSeatFragment } from "./seats.server";
import type { JobName } from "#jobs/catalogue";

/**
 * The booking transaction's SQL, written for pipelining (see db/pipeline.server.ts): the reads are
 * issued together in one round trip, and the write — conditional seat update, reservation insert and
 * outbox notice — is ONE statement, so a full slot inserts nothing and a taken seat always has its
 * reservation and its notice. This is the hot path of an opening rush; the rules themselves stay in
 * booking-rules.server (shared with "change") and the capacity rule in seats.server, so this file
 * holds only data access.
 */

type FactsRow = {
  slotStatus: string;
  startsAtMs: number;
  webBooked: number;
  webCapacity: number;
  phoneBooked: number;
  phoneCapacity: number;
  serviceId: string;
  serviceActive: boolean;
  doses: number;
  minIntervalDays: number;
  bookingWindowDays: number;
  phases: SlotFacts["service"]["phases"];
  ageReferenceDate: string;
  holderId: string;
  birthDate: string;
};

export type EarlierBooking = { id: string; confirmationCode: string; dose: number; slotId: string; serviceId: string };

/**
 * The advisory lock every attempt with this idempotency key takes first (withTenantPipelined's
 * lockKey): twin submits queue on it, so the second sees the first's committed booking (READ
 * COMMITTED: each later statement takes a fresh snapshot) and replays it.
 */
export const bookingLockKey = (input: { tenantId: string; idempotencyKey: string }) =>
  `${input.tenantId}:${input.idempotencyKey}`;

/** Issues (without awaiting) the reads, which run after the lock; resolves once they have answered. */
export function readBookingFacts(
  c: Pipe,
  input: { tenantId: string; slotId: string; ticketHolderId: string; idempotencyKey: string },
) {
  // One statement for the three reads (fewer statements = less parse/bind/execute work per attempt
  // on both sides); it runs after the lock, so it sees a twin's committed booking.
  const read = c<
    {
      earlier: EarlierBooking | null;
      facts: FactsRow | null;
      active: { id: string; dose: number; startsAtMs: number }[];
    }[]
  >`
    select
      (select row_to_json(e) from (
         select id, confirmation_code as "confirmationCode", dose, slot_id as "slotId", service_id as "serviceId"
           from reservations where tenant_id = ${input.tenantId} and idempotency_key = ${input.idempotencyKey}) e) as earlier,
      (select row_to_json(f) from (
         select s.status::text as "slotStatus", (extract(epoch from s.starts_at) * 1000)::float8 as "startsAtMs",
                s.web_booked as "webBooked", s.web_capacity as "webCapacity", s.phone_booked as "phoneBooked", s.phone_capacity as "phoneCapacity",
                sv.id as "serviceId", sv.active as "serviceActive", sv.doses, sv.min_interval_days as "minIntervalDays",
                sv.booking_window_days as "bookingWindowDays", sv.phases, sv.age_reference_date::text as "ageReferenceDate",
                h.id as "holderId", h.birth_date::text as "birthDate"
           from slots s
           join services sv on sv.tenant_id = s.tenant_id and sv.id = s.service_id
           join ticket_holders h on h.tenant_id = s.tenant_id and h.id = ${input.ticketHolderId}
          where s.tenant_id = ${input.tenantId} and s.id = ${input.slotId}) f) as facts,
      (select coalesce(json_agg(a), '[]'::json) from (
         select r.id, r.dose, (extract(epoch from s.starts_at) * 1000)::float8 as "startsAtMs"
           from reservations r
           join slots s on s.tenant_id = r.tenant_id and s.id = r.slot_id
          where r.tenant_id = ${input.tenantId} and r.ticket_holder_id = ${input.ticketHolderId}
            and r.service_id = (select service_id from slots where tenant_id = ${input.tenantId} and id = ${input.slotId})
            and r.status in ('booked', 'attended')) a) as active`.execute();
  return read.then(([row]) => {
    const f = row?.facts;
    const facts: SlotFacts | null = f
      ? {
          slot: {
            status: f.slotStatus,
            startsAt: new Date(f.startsAtMs),
            webBooked: f.webBooked,
            webCapacity: f.webCapacity,
            phoneBooked: f.phoneBooked,
            phoneCapacity: f.phoneCapacity,
          },
          service: {
            id: f.serviceId,
            active: f.serviceActive,
            doses: f.doses,
            minIntervalDays: f.minIntervalDays,
            bookingWindowDays: f.bookingWindowDays,
            phases: f.phases,
            ageReferenceDate: f.ageReferenceDate,
          },
          holder: { id: f.holderId, birthDate: f.birthDate },
          active: (row?.active ?? []).map((r) => ({ id: r.id, dose: r.dose, startsAt: new Date(r.startsAtMs) })),
        }
      : null;
    return { earlier: row?.earlier ?? null, facts };
  });
}

export type NewReservation = {
  id: string;
  tenantId: string;
  slotId: string;
  serviceId: string;
  ticketHolderId: string;
  dose: number;
  channel: BookingChannel;
  quota: "web" | "phone";
  confirmationCode: string;
  contact: { name: string; phone: string; email: string };
  lineUserId: string | null;
  bookedByStaffId: string | null;
  proxyNote: string | null;
  family: { name: string; relation: string } | null;
  idempotencyKey: string;
  /** A shipped language code (resolved by the caller). */
  language: string;
};

/**
 * Takes a seat of the slot's quota and, only if one was free, inserts the reservation and its outbox
 * notice — one statement. (JSON goes as text: drizzle's driver turns postgres.js's json serialisers off.) A full slot (or one closed meanwhile) returns no row and writes nothing.
 */
export function insertBooking(
  c: Pipe,
  r: NewReservation,
  notice: { jobName: JobName; payload: Record<string, unknown> },
) {
  const seat = takeSeatFragment(c, r.quota, r.tenantId, r.slotId);
  return c<EarlierBooking[]>`
    with seat as (${seat}),
    booked as (
      insert into reservations (id, tenant_id, slot_id, service_id, ticket_holder_id, dose, channel, quota, confirmation_code,
                                contact_name, contact_phone, contact_email, line_user_id, booked_by_staff_id, proxy_note,
                                proxy_name, proxy_relation, idempotency_key, language)
      select ${r.id}, ${r.tenantId}, seat.id, ${r.serviceId}, ${r.ticketHolderId}, ${r.dose}, ${r.channel}::booking_channel, ${r.quota}::quota_kind,
             ${r.confirmationCode}, ${r.contact.name}, ${r.contact.phone}, ${r.contact.email}, ${r.lineUserId}, ${r.bookedByStaffId},
             ${r.proxyNote}, ${r.family?.name ?? null}, ${r.family?.relation ?? null}, ${r.idempotencyKey}, ${r.language}
        from seat
      returning id, confirmation_code as "confirmationCode", dose, slot_id as "slotId", service_id as "serviceId"
    ),
    notice as (
      insert into outbox (tenant_id, job_name, payload) select ${r.tenantId}, ${notice.jobName}, ${JSON.stringify(notice.payload)}::jsonb from booked
    )
    select * from booked`.execute();
}

/** The staff audit entry for a booking made on a caller's behalf; written only if the booking row exists. */
export function auditStaffBooking(c: Pipe, r: NewReservation, ip: string | null) {
  return c`
    insert into audit_log (tenant_id, actor_kind, actor_id, action, target_type, target_id, detail, ip)
    select ${r.tenantId}, 'staff', ${r.bookedByStaffId}, 'reservation.book', 'reservation', id::text,
           ${JSON.stringify({ channel: r.channel, proxy: Boolean(r.proxyNote) })}::jsonb, ${ip}::inet
      from reservations where tenant_id = ${r.tenantId} and id = ${r.id}`.execute();
}
