import { sql } from "drizzle-orm";
import { check, index, pgEnum, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * City staff are people, not tenant rows: one person may work for two cities (a prefecture staffer
 * helping a town), so the account is global and the right to act in a city is a membership.
 */
export const staffUsers = pgTable("staff_users", {
  id: uuid().primaryKey().defaultRandom(),
  email: text().notNull().unique(), // stored lower-cased
  displayName: text().notNull(),
  passwordHash: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const staffRole = pgEnum("staff_role", ["admin", "operator", "analyst"]);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    staffUserId: uuid()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    role: staffRole().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("memberships_tenant_user").on(t.tenantId, t.staffUserId),
    unique("memberships_tenant_id_id").on(t.tenantId, t.id),
    tenantIsolation("memberships"),
  ],
).enableRLS();

/** Vendor staff run the console for every city; they never hold a city membership. */
export const vendorUsers = pgTable("vendor_users", {
  id: uuid().primaryKey().defaultRandom(),
  email: text().notNull().unique(),
  displayName: text().notNull(),
  passwordHash: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /** 利用停止 by a colleague (staff who left): no login, no session, no reset mail; kept for the audit trail. */
  disabledAt: timestamp({ withTimezone: true }),
});

export const sessionKind = pgEnum("session_kind", ["staff", "vendor"]);

/** Lucia-guide sessions: the id is the SHA-256 of the cookie token, so a DB leak yields no cookie. */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    kind: sessionKind().notNull(),
    staffUserId: uuid().references(() => staffUsers.id, { onDelete: "cascade" }),
    vendorUserId: uuid().references(() => vendorUsers.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      "sessions_one_subject",
      sql`(${t.kind} = 'staff' and ${t.staffUserId} is not null and ${t.vendorUserId} is null)
       or (${t.kind} = 'vendor' and ${t.vendorUserId} is not null and ${t.staffUserId} is null)`,
    ),
    index("sessions_staff_user_idx").on(t.staffUserId),
    index("sessions_vendor_user_idx").on(t.vendorUserId),
  ],
);

/**
 * An invitation to join a city's staff. The token is stored twice: hashed (for the lookup when the
 * link is opened) and encrypted (so the worker can put the link in the e-mail without the token
 * ever travelling through Redis or sitting in the database in clear).
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: staffRole().notNull(),
    tokenHash: text().notNull().unique(),
    tokenCiphertext: text().notNull(),
    invitedByStaffId: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    invitedByVendorId: uuid().references(() => vendorUsers.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedByStaffId: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("invitations_tenant_id_id").on(t.tenantId, t.id),
    index("invitations_tenant_email_idx").on(t.tenantId, t.email),
    tenantIsolation("invitations"),
  ],
).enableRLS();

/**
 * An invitation to join the vendor staff (ADR 023). Its own table rather than a kind of
 * `invitations`: those rows belong to a city (tenant_id NOT NULL, RLS, a staff role, accepted by a
 * staff user); a vendor invitation belongs to no city, like vendor_users and vendor_audit_log. The
 * token is stored hashed (lookup) and encrypted (for the e-mail job), never in clear.
 * `invitedByVendorId` is null when an operator created it with `npm run vendor:create`.
 */
export const vendorInvitations = pgTable(
  "vendor_invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(), // stored lower-cased
    displayName: text().notNull(),
    tokenHash: text().notNull().unique(),
    tokenCiphertext: text().notNull(),
    invitedByVendorId: uuid().references(() => vendorUsers.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Set by the mail job once sent: a retried job does not mail twice. */
    mailedAt: timestamp({ withTimezone: true }),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedByVendorId: uuid().references(() => vendorUsers.id, { onDelete: "set null" }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("vendor_invitations_email_idx").on(t.email)],
);

export type StaffUser = typeof staffUsers.$inferSelect;
export type VendorUser = typeof vendorUsers.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type StaffRole = (typeof staffRole.enumValues)[number];
export type Session = typeof sessions.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type VendorInvitation = typeof vendorInvitations.$inferSelect;
