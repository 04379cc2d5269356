import { foreignKey, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ticketHolders } from "./reservations";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * A one-time link to a resident's reservations, mailed to the e-mail address on one of their
 * bookings (ADR 027): the owner's way past a ticket number locked by a stranger's guesses. Only the
 * SHA-256 of the token is stored; the mail job re-derives the token from the row's random id with an
 * HMAC under the master key (as password resets do, ADR 022). `reservationId`: the booking whose
 * address asked, so the job mails exactly that address and nothing personal travels through Redis.
 */
export const reservationLinks = pgTable(
  "reservation_links",
  {
    id: uuid().primaryKey(),
    tenantId: uuid().notNull(),
    ticketHolderId: uuid().notNull(),
    reservationId: uuid().notNull(),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    mailedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("reservation_links_holder_idx").on(t.tenantId, t.ticketHolderId),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({
      columns: [t.tenantId, t.ticketHolderId],
      foreignColumns: [ticketHolders.tenantId, ticketHolders.id],
    }).onDelete("cascade"),
    tenantIsolation("reservation_links"),
  ],
).enableRLS();

export type ReservationLink = typeof reservationLinks.$inferSelect;
