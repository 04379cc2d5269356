import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * A LINE friend's active dialog (issue 16, ADR 047): at most one per friend. `state` is the dialog's
 * own JSON; a row past `expires_at` is treated as absent (and overwritten by the next dialog), so a
 * conversation left for the day starts from the beginning. Deleted on 「やめる」 and at the dialog's end.
 */
export const conversationDialogs = pgTable(
  "conversation_dialogs",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    lineUserId: text().notNull(),
    dialog: text().notNull(),
    state: jsonb().$type<Record<string, unknown>>().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.lineUserId] }),
    index("conversation_dialogs_expires_idx").on(t.expiresAt),
    tenantIsolation("conversation_dialogs"),
  ],
).enableRLS();

export type ConversationDialogRow = typeof conversationDialogs.$inferSelect;
