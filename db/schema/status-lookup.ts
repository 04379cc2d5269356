import { sql } from "drizzle-orm";
import { date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * 申請状況の照会 (issue 19, ADR 060): a department publishes statuses by CSV; residents check theirs with
 * a key (申請番号) and their birth date. Keys are stored only as the city's keyed hash (like ticket
 * numbers); rows are purged `purgeAfterDays` after the lookup closes.
 */
export type LookupStatus = { code: string; label: string; text: string };

export const statusLookups = pgTable(
  "status_lookups",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    title: text().notNull(),
    keyLabel: text().notNull(),
    /** An anchored regular expression the normalised key must match (digits only → `^\d{n}$`). */
    keyPattern: text().notNull(),
    statuses: jsonb().$type<LookupStatus[]>().notNull(),
    note: text().notNull().default(""),
    opensOn: date({ mode: "string" }).notNull(),
    closesOn: date({ mode: "string" }).notNull(),
    contact: text().notNull().default(""),
    purgeAfterDays: integer().notNull().default(90),
    purgedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("status_lookups_tenant_id_id").on(t.tenantId, t.id), tenantIsolation("status_lookups")],
).enableRLS();

/** One applicant: the key's HMAC, the birth date (second factor), the current status and its date. */
export const statusLookupRows = pgTable(
  "status_lookup_rows",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    lookupId: uuid()
      .notNull()
      .references(() => statusLookups.id, { onDelete: "cascade" }),
    keyHash: text().notNull(),
    /** The last four characters, for staff to recognise a row without the whole key. */
    keyTail: text().notNull(),
    birthDate: date({ mode: "string" }).notNull(),
    status: text().notNull(),
    statusDate: date({ mode: "string" }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("status_lookup_rows_lookup_key").on(t.lookupId, t.keyHash), tenantIsolation("status_lookup_rows")],
).enableRLS();

/** One CSV import of a lookup: queued → running → completed | failed, with progress and the row report. */
export const statusImports = pgTable(
  "status_imports",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    lookupId: uuid()
      .notNull()
      .references(() => statusLookups.id, { onDelete: "cascade" }),
    filename: text().notNull(),
    /** The uploaded file, base64, until the worker has read it (cleared when the import ends). */
    file: text(),
    status: text().notNull().default("queued"),
    rowsTotal: integer().notNull().default(0),
    rowsDone: integer().notNull().default(0),
    rowsAdded: integer().notNull().default(0),
    rowsChanged: integer().notNull().default(0),
    errors: jsonb()
      .$type<{ line: number; reason: string }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    createdByStaffId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("status_imports_lookup_idx").on(t.lookupId, t.createdAt), tenantIsolation("status_imports")],
).enableRLS();

/** What a re-import changed: one row per status change (the diff staff read, and what is pushed). */
export const statusChanges = pgTable(
  "status_changes",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    importId: uuid()
      .notNull()
      .references(() => statusImports.id, { onDelete: "cascade" }),
    rowId: uuid()
      .notNull()
      .references(() => statusLookupRows.id, { onDelete: "cascade" }),
    fromStatus: text().notNull(),
    toStatus: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("status_changes_import_idx").on(t.importId), tenantIsolation("status_changes")],
).enableRLS();

/**
 * 「変わったら知らせて」: a LINE friend or an e-mail address following one row until the lookup closes.
 * `lastChangeId`: the change last told — a repeated notice job for the same change sends nothing.
 */
export const statusSubscriptions = pgTable(
  "status_subscriptions",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    rowId: uuid()
      .notNull()
      .references(() => statusLookupRows.id, { onDelete: "cascade" }),
    lineUserId: text(),
    email: text(),
    lang: text().notNull().default("ja"),
    lastChangeId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("status_subscriptions_row_line").on(t.rowId, t.lineUserId),
    unique("status_subscriptions_row_email").on(t.rowId, t.email),
    tenantIsolation("status_subscriptions"),
  ],
).enableRLS();

/** Lookups per day (counts only, nothing about who asked), for the staff list. */
export const statusLookupDaily = pgTable(
  "status_lookup_daily",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    lookupId: uuid()
      .notNull()
      .references(() => statusLookups.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    found: integer().notNull().default(0),
    notFound: integer().notNull().default(0),
  },
  (t) => [unique("status_lookup_daily_day").on(t.lookupId, t.day), tenantIsolation("status_lookup_daily")],
).enableRLS();

export type StatusLookup = typeof statusLookups.$inferSelect;
export type StatusLookupRow = typeof statusLookupRows.$inferSelect;
export type StatusImport = typeof statusImports.$inferSelect;
