import { sql } from "drizzle-orm";
import { bigint, bigserial, check, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { sessionKind, sessions, staffUsers, vendorUsers } from "./users";

/**
 * A person's TOTP authenticator (ADR: two-factor). One per account; `confirmedAt` null = enrolment
 * started but not yet proven with a code. The secret is AES-GCM encrypted with the master key and
 * bound to this row's id; `lastUsedCounter` is the newest time step accepted, so a code seen once is
 * refused if replayed within its window.
 */
export const twoFactorCredentials = pgTable(
  "two_factor_credentials",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: sessionKind().notNull(),
    staffUserId: uuid()
      .unique()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    vendorUserId: uuid()
      .unique()
      .references(() => vendorUsers.id, { onDelete: "cascade" }),
    secretEnc: text().notNull(),
    lastUsedCounter: bigint({ mode: "number" }),
    confirmedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      "two_factor_credentials_one_subject",
      sql`(${t.kind} = 'staff' and ${t.staffUserId} is not null and ${t.vendorUserId} is null)
       or (${t.kind} = 'vendor' and ${t.vendorUserId} is not null and ${t.staffUserId} is null)`,
    ),
  ],
);

/** One-time recovery codes: SHA-256 only (the codes are random, 50 bits each); `usedAt` burns one. */
export const twoFactorRecoveryCodes = pgTable(
  "two_factor_recovery_codes",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    credentialId: uuid()
      .notNull()
      .references(() => twoFactorCredentials.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("two_factor_recovery_codes_credential_hash").on(t.credentialId, t.codeHash)],
);

/**
 * Sessions that passed the second step. A separate row (not a column on `sessions`) so the session
 * code stays as it was; deleting the session deletes the mark.
 */
export const sessionTwoFactor = pgTable("session_two_factor", {
  sessionId: text()
    .primaryKey()
    .references(() => sessions.id, { onDelete: "cascade" }),
  method: text().$type<"totp" | "recovery" | "enrolment">().notNull(),
  verifiedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type TwoFactorCredential = typeof twoFactorCredentials.$inferSelect;
