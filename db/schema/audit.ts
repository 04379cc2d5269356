import { bigserial, index, inet, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";
import { vendorUsers } from "./users";

export const actorKind = pgEnum("actor_kind", ["staff", "vendor", "resident", "system"]);

/**
 * Who did or saw what in a city: every staff read/export of personal data, every broadcast, every
 * setting change. Append-only by convention (the app never updates or deletes it).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    actorKind: actorKind().notNull(),
    actorId: uuid(),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ip: inet(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt), tenantIsolation("audit_log")],
).enableRLS();

/** Vendor-side actions (logins, creating and suspending cities): platform level, no tenant scope. */
export const vendorAuditLog = pgTable(
  "vendor_audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    vendorUserId: uuid().references(() => vendorUsers.id, { onDelete: "set null" }),
    tenantId: uuid().references(() => tenants.id, { onDelete: "set null" }),
    action: text().notNull(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ip: inet(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("vendor_audit_log_created_idx").on(t.createdAt)],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type ActorKind = (typeof actorKind.enumValues)[number];
