import { z } from "zod";

/**
 * The one typed map of every background job: name → queue, payload schema, default options.
 * Producers (the outbox writer) and the worker both read it, so a job cannot be produced with a
 * payload its processor does not understand. Payloads carry ids only — BullMQ keeps them in clear
 * text in Redis, so no personal data and no secrets ever go in. Schemas are strict: a producer that
 * adds a field (a name, an e-mail) is refused loudly instead of having it silently dropped.
 *
 * A leaf module (ADR 030): it imports zod and nothing of the app, so features (which produce jobs
 * through the outbox) and jobs/ (whose processors call features) both depend on it, never on each
 * other's insides. jobs/catalogue.test.ts holds that line.
 */
const uuid = z.uuid();

/** A Japan-time calendar date, YYYY-MM-DD. */
const day = z.iso.date();

// "broadcast" is its own queue so a 300,000-friend send never delays webhook replies on "line";
// "roster" likewise keeps a minute-long roster import from holding up the maintenance jobs.
export const QUEUES = ["mail", "line", "reminders", "maintenance", "broadcast", "roster"] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * A repeating job (ADR 030): registered by the worker as one BullMQ job scheduler under `id` (an
 * upsert: any number of workers keep one schedule), and registered again when Redis lost it. Either
 * `every` ms (the first run comes at once) or a cron `pattern` (with seconds when it has six fields),
 * in `tz` when given. Its payload is `{}`: every repeating job works out its own clock.
 */
export type Repeat = { id: string; every: number } | { id: string; pattern: string; tz?: string };

export const catalogue = {
  "send-staff-invitation": {
    queue: "mail",
    payload: z.strictObject({ tenantId: uuid, invitationId: uuid }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /**
   * The パスワードの再設定 e-mail of one password_resets row (ADR 022). `tenantId`: the city of a
   * staff request; absent for vendor staff (a platform outbox row). The token is re-derived, never sent.
   */
  "send-password-reset": {
    queue: "mail",
    payload: z.strictObject({ tenantId: uuid.optional(), resetId: uuid }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /** 「パスワードが変更されました」to the account's own address, after a change or a reset. */
  "send-password-changed": {
    queue: "mail",
    payload: z.strictObject({
      tenantId: uuid.optional(),
      kind: z.enum(["staff", "vendor"]),
      userId: uuid,
      noticeId: uuid,
    }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /** 「ログインの失敗が続いています」to the account's own address when its login slow-down starts (ADR 026). */
  "send-login-alert": {
    queue: "mail",
    payload: z.strictObject({
      tenantId: uuid.optional(),
      kind: z.enum(["staff", "vendor"]),
      userId: uuid,
      noticeId: uuid,
    }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /** The one-time link to a resident's reservations (ADR 027): the token is re-derived, never sent. */
  "send-reservation-link": {
    queue: "mail",
    payload: z.strictObject({ tenantId: uuid, linkId: uuid }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /** A vendor staff invitation e-mail (ADR 023): platform level, so no tenantId (a platform outbox row). */
  "send-vendor-invitation": {
    queue: "mail",
    payload: z.strictObject({ invitationId: uuid }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /** Confirmation / change / cancellation notice for a reservation (e-mail now; LINE push when linked). */
  "send-reservation-notice": {
    queue: "mail",
    payload: z.strictObject({
      tenantId: uuid,
      reservationId: uuid,
      kind: z.enum(["confirmed", "changed", "cancelled", "slot-closed"]),
      noticeId: uuid,
    }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /**
   * One stored LINE webhook event (line_webhook_events row): follow/unfollow, survey postbacks,
   * keywords. The event itself stays in PostgreSQL; only its id travels through Redis.
   */
  "process-line-event": {
    queue: "line",
    payload: z.strictObject({ tenantId: uuid, eventId: uuid }),
    // Reply tokens expire within about a minute: retry quickly, and not for long.
    options: { attempts: 5, backoff: { type: "exponential", delay: 1_000 } },
  },
  /**
   * Every minute (a repeating job, below): finds the reminders that have come due from the
   * reservations themselves and queues one send-reminder each (ADR reminders). `at`: the clock, for
   * a manual run; default now. A failed sweep is not retried: the next minute's sweep does the work.
   */
  "sweep-reminders": {
    queue: "reminders",
    payload: z.strictObject({ at: z.iso.datetime({ offset: true }).optional() }),
    options: { attempts: 1 },
    repeat: { id: "sweep-reminders-every-minute", every: 60_000 },
  },
  /** One reminder_sends row: sent by LINE, e-mail, or recorded for the staff call list. */
  "send-reminder": {
    queue: "reminders",
    payload: z.strictObject({ tenantId: uuid, reminderId: uuid }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /**
   * Daily (a repeating job): writes one per-city job below into each city's outbox. `day` defaults
   * to today in Japan time. Late in the day, so the snapshot labelled with today's date holds
   * (nearly) the whole day.
   */
  "snapshot-friend-counts": {
    queue: "maintenance",
    payload: z.strictObject({ day: day.optional() }),
    options: { attempts: 3, backoff: { type: "exponential", delay: 30_000 } },
    // The catalogue is a leaf (imports only zod), so Japan's zone is spelled here, not imported.
    // eslint-disable-next-line no-restricted-syntax
    repeat: { id: "snapshot-friend-counts-daily", pattern: "50 23 * * *", tz: "Asia/Tokyo" },
  },
  /** One city's friend counts for one day (upsert: running it twice the same day is harmless). */
  "snapshot-tenant-friend-counts": {
    queue: "maintenance",
    payload: z.strictObject({ tenantId: uuid, day }),
    options: { attempts: 5, backoff: { type: "exponential", delay: 30_000 } },
  },
  /**
   * Daily (a repeating job, in quiet hours: it deletes in batches but still touches many rows):
   * deletes webhook events and delivery keys older than RETENTION_DAYS, and expired sessions.
   */
  "purge-retention": {
    queue: "maintenance",
    payload: z.strictObject({}),
    options: { attempts: 3, backoff: { type: "exponential", delay: 60_000 } },
    // eslint-disable-next-line no-restricted-syntax -- a leaf module: see snapshot-friend-counts
    repeat: { id: "purge-retention-daily", pattern: "30 3 * * *", tz: "Asia/Tokyo" },
  },
  /**
   * Daily (a repeating job): deletes 未回答 FAQ questions not asked again for 90 days and expired
   * LINE dialogs, city by city (issue 16, ADR 048). Idempotent: a second run finds nothing.
   */
  "purge-conversation": {
    queue: "maintenance",
    payload: z.strictObject({}),
    options: { attempts: 3, backoff: { type: "exponential", delay: 60_000 } },
    // eslint-disable-next-line no-restricted-syntax -- a leaf module: see snapshot-friend-counts
    repeat: { id: "purge-conversation-daily", pattern: "40 3 * * *", tz: "Asia/Tokyo" },
  },
  /**
   * The LINE push of one report state change (issue 17, report_events row) to the reporter and the
   * report's followers, each in their language. Retried with per-recipient retry keys.
   */
  "send-report-status": {
    queue: "mail",
    payload: z.strictObject({ tenantId: uuid, eventId: uuid }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /**
   * Starts one run of a broadcast (ADR broadcasts): snapshots the audience into chunks once, then
   * queues every unsent chunk. Safe to repeat: a second start only re-queues what is unsent.
   */
  "start-broadcast-run": {
    queue: "broadcast",
    payload: z.strictObject({ tenantId: uuid, runId: uuid }),
    options: { attempts: 10, backoff: { type: "exponential", delay: 2_000 } },
  },
  /** One multicast of ≤ 500 recipients, with a retry key derived from (run, seq). Queued by the start job. */
  "send-broadcast-chunk": {
    queue: "broadcast",
    payload: z.strictObject({ tenantId: uuid, runId: uuid, seq: z.number().int().min(0) }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 2_000 } },
  },
  /** Once a minute, at second 0 (a repeating job): starts due scheduled/recurring broadcasts and resumes stalled runs. */
  "sweep-broadcasts": {
    queue: "broadcast",
    payload: z.strictObject({}),
    options: { attempts: 1 },
    repeat: { id: "broadcast-sweep", pattern: "0 * * * * *" },
  },
  /**
   * Once a minute at second 15 (a repeating job): starts tomorrow's 「明日は〇〇の日です」 push for
   * every city whose push time has passed today (ADR 051). A start is idempotent per city and date.
   */
  "sweep-garbage-push": {
    queue: "broadcast",
    payload: z.strictObject({ at: z.iso.datetime({ offset: true }).optional() }),
    options: { attempts: 1 },
    repeat: { id: "garbage-push-sweep", pattern: "15 * * * * *" },
  },
  /** One multicast of a garbage push chunk (≤ 500 friends of one area and language), retry key (run, seq). */
  "send-garbage-push-chunk": {
    queue: "broadcast",
    payload: z.strictObject({ tenantId: uuid, runId: uuid, seq: z.number().int().min(0) }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 2_000 } },
  },
  /**
   * One uploaded ticket-holder roster (roster_imports row, file stored in roster_upload_chunks):
   * imported all-or-nothing, then the stored file is deleted. Safe to repeat: an import already
   * completed or failed is left alone; one cut off mid-way (nothing committed) starts over.
   */
  "roster-import": {
    queue: "roster",
    payload: z.strictObject({ tenantId: uuid, importId: uuid }),
    options: { attempts: 5, backoff: { type: "exponential", delay: 10_000 } },
  },
  /** One queued CSV import of a status lookup (status_imports row, issue 19): all-or-nothing; a repeat of an ended import does nothing. */
  "status-import": {
    queue: "roster",
    payload: z.strictObject({ tenantId: uuid, importId: uuid }),
    options: { attempts: 5, backoff: { type: "exponential", delay: 10_000 } },
  },
  /** Tells the subscribers of one status change (LINE push or e-mail), each at most once per change. */
  "send-status-notice": {
    queue: "mail",
    payload: z.strictObject({ tenantId: uuid, changeId: uuid }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /** Daily (a repeating job): deletes the rows and subscriptions of lookups closed longer than their retention. */
  "purge-status-lookups": {
    queue: "maintenance",
    payload: z.strictObject({}),
    options: { attempts: 3, backoff: { type: "exponential", delay: 60_000 } },
    // eslint-disable-next-line no-restricted-syntax -- a leaf module: see snapshot-friend-counts
    repeat: { id: "purge-status-lookups-daily", pattern: "50 3 * * *", tz: "Asia/Tokyo" },
  },
} as const satisfies Record<
  string,
  { queue: QueueName; payload: z.ZodType; options: Record<string, unknown>; repeat?: Repeat }
>;

export type JobName = keyof typeof catalogue;
export type JobPayload<N extends JobName> = z.infer<(typeof catalogue)[N]["payload"]>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(catalogue, name);
}
