import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * A city's LINE Official Account (ADR 008): one row per tenant. The channel secret and access token
 * are envelope-encrypted (a per-row data key wrapped with the master key, associated data bound to
 * the row id), so a database dump alone reveals neither; only the last 4 characters stay in clear for
 * the masked display in the admin page.
 */
export const lineChannels = pgTable(
  "line_channels",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Messaging API channel id (the webhook's channel). */
    channelId: text().notNull(),
    /** LINE Login channel that owns the LIFF app: the audience of LIFF ID tokens. */
    loginChannelId: text(),
    liffId: text(),
    botUserId: text(),
    dataKeyEnc: text().notNull(),
    secretEnc: text().notNull(),
    tokenEnc: text().notNull(),
    secretLast4: text().notNull(),
    tokenLast4: text().notNull(),
    /**
     * LINE Login channel secret, encrypted with the row's data key like the others: the wizard issues
     * short-lived login-channel tokens with it for LINE's LIFF server API (ADR 014). Null until set.
     */
    loginSecretEnc: text(),
    loginSecretLast4: text(),
    /** When the login channel's id or secret last changed: the admin page shows 設定済み and this date, never the secret. */
    loginSecretUpdatedAt: timestamp({ withTimezone: true }),
    /** Last live connection test (接続テスト) and its failure, shown to the city's admin. */
    checkedAt: timestamp({ withTimezone: true }),
    checkError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("line_channels_tenant").on(t.tenantId),
    unique("line_channels_tenant_id_id").on(t.tenantId, t.id),
    tenantIsolation("line_channels"),
  ],
).enableRLS();

/**
 * Every webhook event as received, so the 2-second ack never waits on processing and a redelivery
 * (same webhookEventId) inserts nothing. Rows are purged after a retention period (later issue),
 * hence the index on received_at.
 */
export const lineWebhookEvents = pgTable(
  "line_webhook_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    webhookEventId: text().notNull(),
    type: text().notNull(),
    lineUserId: text(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    isRedelivery: boolean().notNull().default(false),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
    error: text(),
  },
  (t) => [
    unique("line_webhook_events_tenant_event").on(t.tenantId, t.webhookEventId),
    unique("line_webhook_events_tenant_id_id").on(t.tenantId, t.id),
    index("line_webhook_events_received_idx").on(t.receivedAt),
    tenantIsolation("line_webhook_events"),
  ],
).enableRLS();

export const lineFriendStatus = pgEnum("line_friend_status", ["following", "blocked"]);
export const lineGender = pgEnum("line_gender", ["female", "male", "other", "no_answer"]);
export const lineAgeBand = pgEnum("line_age_band", [
  "under20",
  "20s",
  "30s",
  "40s",
  "50s",
  "60s",
  "70plus",
  "no_answer",
]);
export const lineSurveyStep = pgEnum("line_survey_step", ["language", "gender", "age", "area", "topics"]);

/**
 * A resident who added the city's account as a friend. Deliberately minimal (ADR 008): the LINE
 * user id and what they told us in the survey, never their display name, picture or status message.
 * A block keeps the row (status blocked) so friend counts and attributes stay meaningful.
 */
export const lineFriends = pgTable(
  "line_friends",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    lineUserId: text().notNull(),
    status: lineFriendStatus().notNull().default("following"),
    followedAt: timestamp({ withTimezone: true }),
    blockedAt: timestamp({ withTimezone: true }),
    gender: lineGender(),
    ageBand: lineAgeBand(),
    /** One of the city's tenants.areas; null when not answered or declined. */
    area: text(),
    /** Keys from the city's tenants.topics. */
    topics: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The survey question waiting for an answer; null when none is open. */
    surveyStep: lineSurveyStep(),
    /**
     * The language for messages to this friend (ADR 039): a folder of app/locales (`ja`, `ja-x-easy`,
     * `en`…), so plain text, checked by the app; adding a language needs no migration. Chosen in the
     * survey or on 受信設定; until then the LINE profile's language; null: Japanese.
     */
    language: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("line_friends_tenant_user").on(t.tenantId, t.lineUserId),
    unique("line_friends_tenant_id_id").on(t.tenantId, t.id),
    index("line_friends_tenant_status_idx").on(t.tenantId, t.status),
    // Insights (ADR 052): follows and blocks per day.
    index("line_friends_tenant_followed_idx").on(t.tenantId, t.followedAt),
    index("line_friends_tenant_blocked_idx").on(t.tenantId, t.blockedAt),
    tenantIsolation("line_friends"),
  ],
).enableRLS();

export type LineChannel = typeof lineChannels.$inferSelect;
export type LineWebhookEvent = typeof lineWebhookEvents.$inferSelect;
export type LineFriend = typeof lineFriends.$inferSelect;
export type LineGender = (typeof lineGender.enumValues)[number];
export type LineAgeBand = (typeof lineAgeBand.enumValues)[number];
export type LineSurveyStep = (typeof lineSurveyStep.enumValues)[number];
