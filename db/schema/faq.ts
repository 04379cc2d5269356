import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * A city's よくある質問 (issue 16, ADR 048): answered in LINE and listed on the public FAQ page.
 * `variants`: other ways residents ask (synonyms, abbreviations such as マイナカード), matched like the
 * question. Only published entries are ever answered or shown.
 */
export const faqEntries = pgTable(
  "faq_entries",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    question: text().notNull(),
    answer: text().notNull(),
    category: text().notNull(),
    variants: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    published: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("faq_entries_tenant_id_id").on(t.tenantId, t.id),
    index("faq_entries_tenant_category_idx").on(t.tenantId, t.category),
    tenantIsolation("faq_entries"),
  ],
).enableRLS();

/**
 * Questions the FAQ could not answer (未回答): the normalised text and how often it was asked — no
 * friend id, nothing that points at a resident. Purged after FAQ_UNANSWERED_DAYS by a repeating job.
 */
export const faqUnanswered = pgTable(
  "faq_unanswered",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    text: text().notNull(),
    count: integer().notNull().default(1),
    firstAskedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastAskedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("faq_unanswered_tenant_text").on(t.tenantId, t.text),
    index("faq_unanswered_last_idx").on(t.lastAskedAt),
    tenantIsolation("faq_unanswered"),
  ],
).enableRLS();

export type FaqEntry = typeof faqEntries.$inferSelect;
export type FaqUnanswered = typeof faqUnanswered.$inferSelect;
