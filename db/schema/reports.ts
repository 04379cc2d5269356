import { sql } from "drizzle-orm";
import {
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** The city's box (WGS84 degrees) a report's point must fall in; reports outside are refused. */
export type Open311Key = { name: string; hash: string; createdAt: string };

export type ReportBounds = { south: number; west: number; north: number; east: number };

/**
 * A city's report settings (issue 17): its categories (null = the default list), the bounding box
 * residents' points must fall in (null = not set: every point in Japan is accepted), and the
 * Open311 API keys, one per integration (name + SHA-256 of the key; none = every request refused).
 */
export const reportSettings = pgTable(
  "report_settings",
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    categories: jsonb().$type<string[]>(),
    bounds: jsonb().$type<ReportBounds>(),
    open311Keys: jsonb()
      .$type<Open311Key[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantIsolation("report_settings")],
).enableRLS();

/**
 * A report of something broken in the city (a pothole, a street light, a park's swing). The
 * reporter's LINE user id is kept only to push the status back; the web reporter's e-mail likewise.
 * `number` is the 受付番号 residents quote (and Open311's service_request_id).
 */
export const reports = pgTable(
  "reports",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    number: text().notNull(),
    category: text().notNull(),
    state: text().notNull().default("received"),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    area: text(),
    landmark: text(),
    description: text().notNull().default(""),
    source: text().notNull(),
    reporterLineUserId: text(),
    reporterEmail: text(),
    department: text(),
    duplicateOf: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("reports_tenant_id_id").on(t.tenantId, t.id),
    unique("reports_tenant_number").on(t.tenantId, t.number),
    index("reports_tenant_state_idx").on(t.tenantId, t.state, t.createdAt),
    index("reports_tenant_reporter_idx").on(t.tenantId, t.reporterLineUserId),
    tenantIsolation("reports"),
  ],
).enableRLS();

/**
 * Photos, re-encoded without metadata (ADR 054), behind one storage module (photo-store.server.ts).
 * `report_id` is null while the photo belongs to a dialog that has not been confirmed yet (then
 * `line_user_id` says whose it is); `kind`: the resident's photo or staff's after-photo (対応後).
 * `public_token`: the unguessable key of the public URL LINE fetches an after-photo from.
 */
export const reportPhotos = pgTable(
  "report_photos",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    reportId: uuid().references(() => reports.id, { onDelete: "cascade" }),
    lineUserId: text(),
    kind: text().notNull().default("report"),
    data: bytea().notNull(),
    thumb: bytea().notNull(),
    width: integer().notNull(),
    height: integer().notNull(),
    publicToken: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("report_photos_report_idx").on(t.tenantId, t.reportId),
    unique("report_photos_public_token").on(t.publicToken),
    tenantIsolation("report_photos"),
  ],
).enableRLS();

/** Residents who follow a report (「この通報をフォローする」) and get its status pushes. */
export const reportFollowers = pgTable(
  "report_followers",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    reportId: uuid()
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    lineUserId: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.reportId, t.lineUserId] }), tenantIsolation("report_followers")],
).enableRLS();

/** Every state change with staff's note (shown to the resident in the push) and who made it. */
export const reportEvents = pgTable(
  "report_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    reportId: uuid()
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    fromState: text(),
    toState: text().notNull(),
    note: text().notNull().default(""),
    staffUserId: uuid(),
    afterPhotoId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("report_events_report_idx").on(t.tenantId, t.reportId, t.createdAt), tenantIsolation("report_events")],
).enableRLS();

export type Report = typeof reports.$inferSelect;
export type ReportPhoto = typeof reportPhotos.$inferSelect;
export type ReportEvent = typeof reportEvents.$inferSelect;
