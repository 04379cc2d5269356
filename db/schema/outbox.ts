import { bigserial, index, integer, jsonb, pgPolicy, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * Transactional outbox: side effects (mail, LINE push, reminders) are written here in the same
 * transaction as the business change, then relayed to BullMQ by the worker. Redis being down never
 * loses or blocks a business write. Payloads hold ids only, never personal data or secrets.
 * tenant_id NULL is a platform row (a mail to vendor staff, ADR 022): written and seen only outside
 * any city's context, so the city policy below still isolates every city row as before.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    tenantId: uuid().references(() => tenants.id, { onDelete: "cascade" }),
    jobName: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    availableAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    lastError: text(),
    relayedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("outbox_pending_idx")
      .on(t.availableAt)
      .where(sql`${t.relayedAt} is null`),
    pgPolicy("outbox_tenant_isolation", {
      as: "permissive",
      for: "all",
      using: sql`tenant_id is not distinct from nullif(current_setting('app.tenant_id', true), '')::uuid`,
      withCheck: sql`tenant_id is not distinct from nullif(current_setting('app.tenant_id', true), '')::uuid`,
    }),
  ],
).enableRLS();

/**
 * Idempotency ledger for jobs with an outside effect (an e-mail, a LINE push): a job that is retried
 * after it already sent finds its row and does not send again.
 */
export const deliveries = pgTable(
  "deliveries",
  {
    key: text().primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    channel: text().notNull(),
    deliveredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantIsolation("deliveries")],
).enableRLS();

export type OutboxRow = typeof outbox.$inferSelect;
