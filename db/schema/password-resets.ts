import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants";
import { sessionKind, staffUsers, vendorUsers } from "./users";

/**
 * One "パスワードをお忘れの方" request (ADR 022). Platform-level like `sessions` (accounts are global),
 * so no RLS; a staff request remembers the city whose login page asked, for the link and the mail.
 * Only the SHA-256 of the link's token is stored; the mail job re-derives the token from the row's
 * random id with an HMAC under the master key, so neither the table nor Redis ever holds it.
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid().primaryKey(),
    kind: sessionKind().notNull(),
    staffUserId: uuid().references(() => staffUsers.id, { onDelete: "cascade" }),
    vendorUserId: uuid().references(() => vendorUsers.id, { onDelete: "cascade" }),
    tenantId: uuid().references(() => tenants.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    // A newer request, a completed reset or a password change makes every older link useless.
    supersededAt: timestamp({ withTimezone: true }),
    mailedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      "password_resets_one_subject",
      sql`(${t.kind} = 'staff' and ${t.staffUserId} is not null and ${t.vendorUserId} is null and ${t.tenantId} is not null)
       or (${t.kind} = 'vendor' and ${t.vendorUserId} is not null and ${t.staffUserId} is null and ${t.tenantId} is null)`,
    ),
    index("password_resets_staff_user_idx").on(t.staffUserId),
    index("password_resets_vendor_user_idx").on(t.vendorUserId),
  ],
);

export type PasswordReset = typeof passwordResets.$inferSelect;
