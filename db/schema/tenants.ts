import { sql } from "drizzle-orm";
import type { CityContact } from "../../app/lib/city-contact";
import { check, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export type TenantTopic = { key: string; label: string };
export const DEFAULT_TOPICS: TenantTopic[] = [
  { key: "garbage", label: "ごみ" },
  { key: "childcare", label: "子育て" },
  { key: "events", label: "イベント" },
  { key: "disaster", label: "防災" },
];

export const tenantStatus = pgEnum("tenant_status", ["onboarding", "active", "suspended"]);

/**
 * The registry of cities. Not tenant-owned itself (the resolver and the vendor console read it
 * before any tenant is known), so it carries no RLS policy; it holds no resident data.
 */
export const tenants = pgTable(
  "tenants",
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull().unique(),
    name: text().notNull(),
    prefecture: text().notNull(),
    status: tenantStatus().notNull().default("onboarding"),
    // A stored column default (data, read by nobody yet), not a time computation: see ~/lib/japan-time.
    // eslint-disable-next-line no-restricted-syntax
    timezone: text().notNull().default("Asia/Tokyo"),
    population: integer(),
    /** The city's districts / areas, offered to LINE friends as their "area" attribute. */
    areas: jsonb().$type<string[]>().notNull().default([]),
    /**
     * What LINE friends can subscribe to (key = stable id stored on line_friends.topics, label =
     * what residents see). Every city starts with the four most asked-for subjects.
     */
    topics: jsonb().$type<TenantTopic[]>().notNull().default(DEFAULT_TOPICS),
    /**
     * 同時に予約手続きできる人数: how many residents may be inside the booking flow at once before
     * newcomers wait in the virtual waiting room (ADR 025). Null = no waiting room (the default).
     */
    bookingConcurrency: integer(),
    /**
     * 問い合わせ窓口 (ADR 031): phone numbers with label and hours, web page, disaster page and
     * number; validated by `cityContactSchema` on write. Null until the city sets it.
     */
    contact: jsonb().$type<CityContact>(),
    /** 全国地方公共団体コード (6 digits, or the 5 without the check digit): filters the national shelter data. */
    municipalityCode: text(),
    suspendedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("tenants_slug_format", sql`${t.slug} ~ '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'`),
    check("tenants_municipality_code", sql`${t.municipalityCode} is null or ${t.municipalityCode} ~ '^[0-9]{5,6}$'`),
    check("tenants_population_positive", sql`${t.population} is null or ${t.population} >= 0`),
    check(
      "tenants_booking_concurrency_range",
      sql`${t.bookingConcurrency} is null or ${t.bookingConcurrency} between 1 and 100000`,
    ),
  ],
);

export type Tenant = typeof tenants.$inferSelect;
export type TenantStatus = (typeof tenantStatus.enumValues)[number];
