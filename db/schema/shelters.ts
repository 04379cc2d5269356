import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * A city's shelters (issue 18). Rows from the national data (国土地理院 指定緊急避難場所・指定避難所)
 * carry its 共通ID (`gsiId`) so a re-import updates them in place; the city's own fields (area, note,
 * phone, live status) are never touched by an import. Distances are computed in SQL (ADR 057).
 */
export const shelters = pgTable(
  "shelters",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** 共通ID of the national data; null for a place the city added by hand. */
    gsiId: text(),
    name: text().notNull(),
    address: text().notNull().default(""),
    latitude: doublePrecision().notNull(),
    longitude: doublePrecision().notNull(),
    /** Hazard keys (app/features/shelters/hazards.ts) the place is designated safe for. */
    hazards: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** 指定緊急避難場所 (a place to flee to) and / or 指定避難所 (a place to stay). */
    evacuationSite: boolean().notNull().default(true),
    designatedShelter: boolean().notNull().default(false),
    welfare: boolean().notNull().default(false),
    capacity: integer(),
    // The city's own fields: kept across re-imports.
    area: text(),
    note: text().notNull().default(""),
    phone: text(),
    status: text().notNull().default("unopened"),
    statusChangedAt: timestamp({ withTimezone: true }),
    statusChangedBy: uuid(),
    importedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("shelters_gsi_id").on(t.tenantId, t.gsiId),
    index("shelters_tenant_status_idx").on(t.tenantId, t.status),
    check("shelters_latitude", sql`${t.latitude} between -90 and 90`),
    check("shelters_longitude", sql`${t.longitude} between -180 and 180`),
    check("shelters_status", sql`${t.status} in ('unopened','open','crowded','full','closed')`),
    check("shelters_capacity", sql`${t.capacity} is null or ${t.capacity} >= 0`),
    tenantIsolation("shelters"),
  ],
).enableRLS();

/** A city's disaster mode (ADR 058): present = on, with its hazard; deleted when turned off. */
export const disasterModes = pgTable(
  "disaster_modes",
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    hazard: text().notNull(),
    /** city = the city's own switch; vendor = a many-cities switch (issue 18.5). */
    startedBy: text().notNull().default("city"),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantIsolation("disaster_modes")],
).enableRLS();

/** 安否確認: one question sent to the friends of chosen areas while in disaster mode. */
export const safetyChecks = pgTable(
  "safety_checks",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    areas: text().array().notNull(),
    recipients: integer().notNull().default(0),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("safety_checks_tenant_id_id").on(t.tenantId, t.id), tenantIsolation("safety_checks")],
).enableRLS();

/** A friend's answer (the last one counts): the area is copied so staff see the area only. */
export const safetyAnswers = pgTable(
  "safety_answers",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    checkId: uuid()
      .notNull()
      .references(() => safetyChecks.id, { onDelete: "cascade" }),
    lineUserId: text().notNull(),
    area: text(),
    answer: text().notNull(),
    answeredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.checkId, t.lineUserId] }),
    check("safety_answers_answer", sql`${t.answer} in ('safe','help','skip')`),
    tenantIsolation("safety_answers"),
  ],
).enableRLS();
