import { bigint, date, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * Usage counters per city per month (Asia/Tokyo calendar month), for the vendor's metering and the
 * city's billing page. Only what cannot be counted later from the business tables is recorded here:
 * LINE messages (per recipient, as LINE bills) and broadcasts sent. Friends and reservations are
 * counted from their own tables.
 */
export const USAGE_METRICS = ["line_messages", "broadcasts"] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

export const usageMonthly = pgTable(
  "usage_monthly",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** First day of the month in Japan time, e.g. 2026-11-01. */
    month: date({ mode: "string" }).notNull(),
    metric: text().$type<UsageMetric>().notNull(),
    count: bigint({ mode: "number" }).notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.month, t.metric] }), tenantIsolation("usage_monthly")],
).enableRLS();
