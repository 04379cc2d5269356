import { sql } from "drizzle-orm";
import {
  check,
  date,
  foreignKey,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import type { GarbageDataset } from "../../app/features/garbage/dataset";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";
import { staffUsers } from "./users";

/**
 * A city's garbage days and sorting (issue 16, 5374-compatible; ADR 050). The imported 5374 set is
 * one JSON document per city, replaced as a whole by each import (all-or-nothing by construction);
 * staff-kept exceptions and the push time live beside it and survive re-imports.
 */
export const garbageDatasets = pgTable(
  "garbage_datasets",
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    data: jsonb().$type<GarbageDataset>().notNull(),
    /** 前日のお知らせの時刻 "HH:MM" (Japan time); null = no evening-before push. */
    pushTime: text(),
    importedAt: timestamp({ withTimezone: true }),
    /**
     * A previewed import waiting for 保存 (staff see what would change first); replaced by the next
     * preview, moved into `data` by the save in one transaction.
     */
    pending: jsonb().$type<GarbageDataset>(),
    pendingAt: timestamp({ withTimezone: true }),
    importedBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      "garbage_datasets_push_time",
      sql`${t.pushTime} is null or ${t.pushTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`,
    ),
    tenantIsolation("garbage_datasets"),
  ],
).enableRLS();

/** 収集なしの日: no collection of one category (or of all when category is null) on a date. */
export const garbageExceptions = pgTable(
  "garbage_exceptions",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    date: date({ mode: "string" }).notNull(),
    category: text(),
    note: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("garbage_exceptions_once").on(t.tenantId, t.date, t.category).nullsNotDistinct(),
    tenantIsolation("garbage_exceptions"),
  ],
).enableRLS();

/**
 * One evening-before push per city and collection date: the unique key is the "once per day". Its
 * audience is snapshotted once into chunks (≤ 500 friends of one area and language, one message),
 * each sent once with a LINE retry key, as broadcasts are (ADR 018).
 */
export const garbagePushRuns = pgTable(
  "garbage_push_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    collectionDate: date({ mode: "string" }).notNull(),
    totalChunks: integer().notNull().default(0),
    totalRecipients: integer().notNull().default(0),
    sentChunks: integer().notNull().default(0),
    failedChunks: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique("garbage_push_runs_once").on(t.tenantId, t.collectionDate),
    unique("garbage_push_runs_tenant_id").on(t.tenantId, t.id),
    tenantIsolation("garbage_push_runs"),
  ],
).enableRLS();

export const garbagePushChunks = pgTable(
  "garbage_push_chunks",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    runId: uuid().notNull(),
    seq: integer().notNull(),
    userIds: text().array().notNull(),
    size: integer().notNull(),
    /** The text sent to this chunk (one area and language). */
    text: text().notNull(),
    sentAt: timestamp({ withTimezone: true }),
    outcome: text(),
    failedAt: timestamp({ withTimezone: true }),
    error: text(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.runId, t.seq] }),
    foreignKey({
      columns: [t.tenantId, t.runId],
      foreignColumns: [garbagePushRuns.tenantId, garbagePushRuns.id],
    }).onDelete("cascade"),
    check("garbage_push_chunks_size", sql`${t.size} between 1 and 500`),
    tenantIsolation("garbage_push_chunks"),
  ],
).enableRLS();

export type GarbageDatasetRow = typeof garbageDatasets.$inferSelect;
