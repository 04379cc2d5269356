import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { DEFAULT_REMINDER_RULES, type ReminderRule } from "./reminder-rules";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";
import { staffUsers } from "./users";

/** One opening phase: from `opensAt`, residents aged at least `minAge` on the reference date may book. */
export type EligibilityPhase = { minAge: number; opensAt: string };

/** What residents book (e.g. 新型コロナワクチン接種, 特定健診) and its rules. */
export const services = pgTable(
  "services",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text().notNull().default(""),
    doses: integer().notNull().default(1),
    /** Minimum days between dose n and n+1 (depends on the vaccine maker: e.g. 21 or 28). */
    minIntervalDays: integer().notNull().default(0),
    /** Ages are computed on this date (e.g. the fiscal year's end). */
    ageReferenceDate: date({ mode: "string" }).notNull(),
    phases: jsonb().$type<EligibilityPhase[]>().notNull().default([]),
    /** Slots open for booking this many days ahead. */
    bookingWindowDays: integer().notNull().default(30),
    /** Change and cancel close this many hours before the slot starts. */
    changeCutoffHours: integer().notNull().default(24),
    whatToBring: text().notNull().default(""),
    /** When residents are reminded of their booking (LINE, e-mail, or staff's call list). */
    reminders: jsonb().$type<ReminderRule[]>().notNull().default(DEFAULT_REMINDER_RULES),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("services_tenant_id_id").on(t.tenantId, t.id),
    check("services_doses", sql`${t.doses} between 1 and 10`),
    check("services_interval", sql`${t.minIntervalDays} >= 0`),
    tenantIsolation("services"),
  ],
).enableRLS();

export const venues = pgTable(
  "venues",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text().notNull(),
    address: text().notNull(),
    lat: doublePrecision(),
    lng: doublePrecision(),
    accessNotes: text().notNull().default(""),
    barrierFreeNotes: text().notNull().default(""),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("venues_tenant_id_id").on(t.tenantId, t.id), tenantIsolation("venues")],
).enableRLS();

export const slotStatus = pgEnum("slot_status", ["open", "closed"]);

/**
 * A bookable time at a venue, with two separate quotas: web/LINE and phone. The counters are the
 * truth for availability; CHECK constraints make overbooking impossible even for a buggy caller.
 */
export const slots = pgTable(
  "slots",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid().notNull(),
    venueId: uuid().notNull(),
    serviceId: uuid().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    webCapacity: integer().notNull(),
    webBooked: integer().notNull().default(0),
    phoneCapacity: integer().notNull(),
    phoneBooked: integer().notNull().default(0),
    status: slotStatus().notNull().default("open"),
    closedReason: text(),
    /** When staff closed it: the bookings cancelled from then on are the ones the closure cancelled. */
    closedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("slots_tenant_id_id").on(t.tenantId, t.id),
    uniqueIndex("slots_venue_service_start").on(t.tenantId, t.venueId, t.serviceId, t.startsAt),
    index("slots_service_start_idx").on(t.tenantId, t.serviceId, t.startsAt),
    // Phone booking's "earliest free slot over these days", any venue (ADR 040).
    index("slots_tenant_start_idx").on(t.tenantId, t.startsAt),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.venueId], foreignColumns: [venues.tenantId, venues.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [services.tenantId, services.id] }).onDelete(
      "cascade",
    ),
    check("slots_web_quota", sql`${t.webBooked} >= 0 and ${t.webBooked} <= ${t.webCapacity}`),
    check("slots_phone_quota", sql`${t.phoneBooked} >= 0 and ${t.phoneBooked} <= ${t.phoneCapacity}`),
    check("slots_capacity_nonnegative", sql`${t.webCapacity} >= 0 and ${t.phoneCapacity} >= 0`),
    check("slots_time_order", sql`${t.endsAt} > ${t.startsAt}`),
    tenantIsolation("slots"),
  ],
).enableRLS();

// "queued": uploaded and stored, waiting for the worker (or for another import of the city to end).
export const rosterImportStatus = pgEnum("roster_import_status", ["queued", "running", "completed", "failed"]);

/** One upload of the city's ticket-holder roster; all-or-nothing, with a per-row error report. */
export const rosterImports = pgTable(
  "roster_imports",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    serviceId: uuid(),
    filename: text().notNull(),
    status: rosterImportStatus().notNull().default("running"),
    rowsTotal: integer().notNull().default(0),
    rowsImported: integer().notNull().default(0),
    errors: jsonb().$type<{ line: number; reason: string }[]>().notNull().default([]),
    createdByStaffId: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Last status or progress write: an import "running" with no recent write and no lock is dead. */
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique("roster_imports_tenant_id_id").on(t.tenantId, t.id), tenantIsolation("roster_imports")],
).enableRLS();

// drizzle 0.45 has no built-in bytea; postgres.js hands bytea back as a Buffer.
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * The uploaded roster file, as received, in ordered pieces until the worker has imported it (web and
 * worker may run on different machines, so a temp file on the web box is no hand-over). Deleted when
 * the import ends, whatever the outcome; the retention purge removes any left behind.
 */
export const rosterUploadChunks = pgTable(
  "roster_upload_chunks",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    importId: uuid().notNull(),
    seq: integer().notNull(),
    data: bytea().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.importId, t.seq] }),
    foreignKey({
      name: "roster_upload_chunks_import_fk",
      columns: [t.tenantId, t.importId],
      foreignColumns: [rosterImports.tenantId, rosterImports.id],
    }).onDelete("cascade"),
    tenantIsolation("roster_upload_chunks"),
  ],
).enableRLS();

/**
 * A resident on the roster. The ticket number is never stored: only HMAC-SHA256 with the city's
 * key, so a database leak does not reveal ticket numbers and rows cannot be matched across cities.
 */
export const ticketHolders = pgTable(
  "ticket_holders",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    ticketHash: text().notNull(),
    birthDate: date({ mode: "string" }).notNull(),
    importId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("ticket_holders_tenant_id_id").on(t.tenantId, t.id),
    unique("ticket_holders_tenant_hash").on(t.tenantId, t.ticketHash),
    // Phone staff find a caller by name + birth date: birth date narrows first (ADR 040).
    index("ticket_holders_tenant_birth_idx").on(t.tenantId, t.birthDate),
    tenantIsolation("ticket_holders"),
  ],
).enableRLS();

export const bookingChannel = pgEnum("booking_channel", ["web", "line", "phone"]);
export const quotaKind = pgEnum("quota_kind", ["web", "phone"]);
export const reservationStatus = pgEnum("reservation_status", ["booked", "cancelled", "attended", "no_show"]);

export const reservations = pgTable(
  "reservations",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid().notNull(),
    slotId: uuid().notNull(),
    serviceId: uuid().notNull(),
    ticketHolderId: uuid().notNull(),
    dose: integer().notNull(),
    channel: bookingChannel().notNull(),
    quota: quotaKind().notNull(),
    status: reservationStatus().notNull().default("booked"),
    /** Shown to the resident and read out on the phone: 8 characters without look-alikes. */
    confirmationCode: text().notNull(),
    contactName: text().notNull(),
    contactPhone: text().notNull().default(""),
    contactEmail: text().notNull().default(""),
    lineUserId: text(),
    /**
     * The language the resident booked in (a shipped catalogue code, no enum, like line_friends.language):
     * e-mails about this reservation are written in it (ADR 045). Phone bookings and older rows: Japanese.
     */
    language: text().notNull().default("ja"),
    /** Staff member who booked on a caller's behalf, and for whom (e.g. "長男が代理で電話"). */
    bookedByStaffId: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    proxyNote: text(),
    /**
     * A family member who booked on the web for this resident (issue 15): their name and relation to
     * the resident (`child`, `spouse`, `grandchild`, `sibling`, `parent`, `other`); the contact
     * columns then hold the family member's phone and e-mail, so notices reach them.
     */
    proxyName: text(),
    proxyRelation: text(),
    idempotencyKey: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp({ withTimezone: true }),
    attendedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique("reservations_tenant_id_id").on(t.tenantId, t.id),
    unique("reservations_tenant_code").on(t.tenantId, t.confirmationCode),
    unique("reservations_tenant_idempotency").on(t.tenantId, t.idempotencyKey),
    // One active reservation per holder per dose: the database refuses a second one.
    uniqueIndex("reservations_one_active_per_dose")
      .on(t.tenantId, t.ticketHolderId, t.serviceId, t.dose)
      .where(sql`${t.status} in ('booked', 'attended')`),
    index("reservations_slot_idx").on(t.tenantId, t.slotId),
    index("reservations_holder_idx").on(t.tenantId, t.ticketHolderId),
    // The vendor's tenant-health table counts bookings made today across cities (onboarding ADR).
    index("reservations_created_idx").on(t.createdAt),
    // Insights (ADR 052): bookings made per day in a city, and cancellations per day.
    // Covering (index-only scan): the day, channel, service and proxy of the bookings made in a period.
    index("reservations_tenant_created_idx").on(t.tenantId, t.createdAt, t.channel, t.serviceId, t.proxyNote),
    // Covering: attendance and first doses per slot, and a person's doses done (index-only scans).
    index("reservations_tenant_slot_status_idx").on(
      t.tenantId,
      t.slotId,
      t.status,
      t.dose,
      t.serviceId,
      t.ticketHolderId,
    ),
    index("reservations_tenant_holder_dose_idx").on(t.tenantId, t.ticketHolderId, t.serviceId, t.status, t.dose),
    index("reservations_tenant_cancelled_idx")
      .on(t.tenantId, t.cancelledAt)
      .where(sql`${t.status} = 'cancelled'`),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.slotId], foreignColumns: [slots.tenantId, slots.id] }),
    foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [services.tenantId, services.id] }),
    foreignKey({ columns: [t.tenantId, t.ticketHolderId], foreignColumns: [ticketHolders.tenantId, ticketHolders.id] }),
    check("reservations_dose_positive", sql`${t.dose} >= 1`),
    // A family proxy names both who booked and how they are related, or neither.
    check(
      "reservations_proxy_family",
      sql`(${t.proxyName} is null) = (${t.proxyRelation} is null) and (${t.proxyRelation} is null or ${t.proxyRelation} in ('child', 'spouse', 'grandchild', 'sibling', 'parent', 'other'))`,
    ),
    tenantIsolation("reservations"),
  ],
).enableRLS();

export type Service = typeof services.$inferSelect;
export type Venue = typeof venues.$inferSelect;
export type Slot = typeof slots.$inferSelect;
export type TicketHolder = typeof ticketHolders.$inferSelect;
export type Reservation = typeof reservations.$inferSelect;
export type RosterImport = typeof rosterImports.$inferSelect;
export type BookingChannel = (typeof bookingChannel.enumValues)[number];
export type QuotaKind = (typeof quotaKind.enumValues)[number];
