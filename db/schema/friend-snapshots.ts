import { date, integer, jsonb, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * A city's LINE friend counts as of one Japan-time day, for the admin dashboard's trend. Taken by
 * the daily scheduler; taking it again the same day overwrites the row (idempotent per day).
 * Aggregates only: no LINE user id ever lands here.
 */
export const lineFriendSnapshots = pgTable(
  "line_friend_snapshots",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Japan-time calendar date (YYYY-MM-DD). */
    day: date({ mode: "string" }).notNull(),
    following: integer().notNull(),
    blocked: integer().notNull(),
    /** Following friends by answer; the key "unknown" counts those who have not answered. */
    byAgeBand: jsonb().$type<Record<string, number>>().notNull(),
    byGender: jsonb().$type<Record<string, number>>().notNull(),
    byArea: jsonb().$type<Record<string, number>>().notNull(),
    takenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] }), tenantIsolation("line_friend_snapshots")],
).enableRLS();

export type LineFriendSnapshot = typeof lineFriendSnapshots.$inferSelect;
