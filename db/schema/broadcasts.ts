import { sql } from "drizzle-orm";
import {
  check,
  customType,
  foreignKey,
  index,
  primaryKey,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * Segment broadcasts to a city's LINE friends (ADR broadcasts). A broadcast is what staff composed
 * and when it goes out; each send of it is a run; a run's audience is snapshotted once into chunks
 * of at most 500 LINE user ids (one multicast each), so a crashed worker resumes exactly where it
 * stopped and a friend who follows mid-send is neither added nor skipped half-way.
 */
export const broadcastStatus = pgEnum("broadcast_status", [
  "draft",
  "scheduled",
  "sending",
  "sent",
  "cancelled",
  "failed",
]);
/** "cancelled": staff stopped the run (送信を中止); chunks not yet sent stay unsent, those sent stay counted. */
export const broadcastRunStatus = pgEnum("broadcast_run_status", ["pending", "sending", "sent", "failed", "cancelled"]);
export const broadcastMessageKind = pgEnum("broadcast_message_kind", ["text", "image", "flex"]);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** What the composer stores; the LINE message objects are built from it at send time (see message.ts). */
export type BroadcastContent =
  | { kind: "text"; text: string }
  | { kind: "image"; mediaId: string }
  | { kind: "flex"; title: string; body: string; buttonLabel?: string; buttonUrl?: string; mediaId?: string };

/**
 * Versions of the texts in other languages (ADR 046): the Japanese is `content`; a friend whose language
 * has a version gets it, everyone else the Japanese. Only what carries text: a text message's text,
 * a card's title, body and button label (the image, the button's URL stay shared).
 */
export type BroadcastTextVersion = { text?: string; title?: string; body?: string; buttonLabel?: string };
export type BroadcastVersions = Partial<Record<string, BroadcastTextVersion>>;

/**
 * Who receives it. Values inside one criterion are alternatives (area A or B); `match` combines the
 * criteria that have values (all = AND, any = OR); `topicsMatch` says whether a friend needs any or
 * all of the chosen topics. No criterion at all = every following friend.
 */
export type BroadcastSegment = {
  match: "all" | "any";
  topics: string[];
  topicsMatch: "any" | "all";
  genders: string[];
  ageBands: string[];
  areas: string[];
};

/** Times of day are Japan time "HH:MM"; weekdays 0 = Sunday … 6 = Saturday; week -1 = the last one. */
export type RecurrenceRule =
  | { freq: "weekly"; weekdays: number[]; time: string }
  | { freq: "monthly-day"; day: number; time: string }
  | { freq: "monthly-nth"; weeks: number[]; weekday: number; time: string };

export const broadcasts = pgTable(
  "broadcasts",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    title: text().notNull(),
    messageKind: broadcastMessageKind().notNull(),
    content: jsonb().$type<BroadcastContent>().notNull(),
    /** Per-language versions of `content`'s texts, keyed by language code (never "ja"). */
    versions: jsonb().$type<BroadcastVersions>().notNull().default({}),
    segment: jsonb().$type<BroadcastSegment>().notNull(),
    /** One-off send time (send now = the moment it was submitted). */
    sendAt: timestamp({ withTimezone: true }),
    recurrence: jsonb().$type<RecurrenceRule>(),
    status: broadcastStatus().notNull().default("draft"),
    /** When the sweep starts the next run; null when nothing is due (sent, cancelled, sending once). */
    nextRunAt: timestamp({ withTimezone: true }),
    createdBy: uuid(),
    cancelledAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("broadcasts_tenant_id_id").on(t.tenantId, t.id),
    index("broadcasts_due_idx")
      .on(t.nextRunAt)
      .where(sql`${t.status} = 'scheduled'`),
    index("broadcasts_tenant_created_idx").on(t.tenantId, t.createdAt),
    tenantIsolation("broadcasts"),
  ],
).enableRLS();

export const broadcastRuns = pgTable(
  "broadcast_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    broadcastId: uuid().notNull(),
    /** The slot this run is for (a recurring broadcast never runs twice for one slot). */
    scheduledFor: timestamp({ withTimezone: true }).notNull(),
    status: broadcastRunStatus().notNull().default("pending"),
    /** Set by the one transaction that snapshots the audience into chunks. */
    snapshotAt: timestamp({ withTimezone: true }),
    totalRecipients: integer().notNull().default(0),
    totalChunks: integer().notNull().default(0),
    sentChunks: integer().notNull().default(0),
    sentRecipients: integer().notNull().default(0),
    failedChunks: integer().notNull().default(0),
    failedRecipients: integer().notNull().default(0),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("broadcast_runs_tenant_id_id").on(t.tenantId, t.id),
    unique("broadcast_runs_slot").on(t.tenantId, t.broadcastId, t.scheduledFor),
    foreignKey({ columns: [t.tenantId, t.broadcastId], foreignColumns: [broadcasts.tenantId, broadcasts.id] }).onDelete(
      "cascade",
    ),
    index("broadcast_runs_active_idx")
      .on(t.updatedAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    tenantIsolation("broadcast_runs"),
  ],
).enableRLS();

export const broadcastChunks = pgTable(
  "broadcast_chunks",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    runId: uuid().notNull(),
    seq: integer().notNull(),
    /** The version every recipient of this chunk gets (a chunk holds one language: one multicast each). */
    language: text().notNull().default("ja"),
    userIds: text().array().notNull(),
    size: integer().notNull(),
    sentAt: timestamp({ withTimezone: true }),
    /** "already-accepted" when LINE answered 409 (the retry key of an earlier, unrecorded try). */
    outcome: text(),
    failedAt: timestamp({ withTimezone: true }),
    error: text(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.runId, t.seq] }),
    foreignKey({ columns: [t.tenantId, t.runId], foreignColumns: [broadcastRuns.tenantId, broadcastRuns.id] }).onDelete(
      "cascade",
    ),
    check("broadcast_chunks_size", sql`${t.size} between 1 and 500`),
    tenantIsolation("broadcast_chunks"),
  ],
).enableRLS();

/** Images for image and card broadcasts, served at /c/:city/media/:id for LINE to fetch. */
export const broadcastMedia = pgTable(
  "broadcast_media",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    contentType: text().notNull(),
    data: bytea().notNull(),
    bytes: integer().notNull(),
    width: integer(),
    height: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("broadcast_media_tenant_id_id").on(t.tenantId, t.id), tenantIsolation("broadcast_media")],
).enableRLS();

export type Broadcast = typeof broadcasts.$inferSelect;
export type BroadcastRun = typeof broadcastRuns.$inferSelect;
export type BroadcastChunk = typeof broadcastChunks.$inferSelect;
export type BroadcastStatus = (typeof broadcastStatus.enumValues)[number];
export type BroadcastRunStatus = (typeof broadcastRunStatus.enumValues)[number];
