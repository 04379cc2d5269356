import { z } from "zod";

/**
 * The one typed map of every background job: name → queue, payload schema, default options.
 * Producers (the outbox writer) and the worker both read it, so a job cannot be produced with a
 * payload its processor does not understand. Payloads carry ids only — BullMQ keeps them in clear
 * text in Redis, so no personal data and no secrets ever go in.
 */
const uuid = z.uuid();

// "broadcast" is its own queue so a 300,000-friend send never delays webhook replies on "line".
export const QUEUES = ["mail", "line", "broadcast"] as const;
export type QueueName = (typeof QUEUES)[number];

export const catalogue = {
  "send-staff-invitation": {
    queue: "mail",
    payload: z.object({ tenantId: uuid, invitationId: uuid }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /** Confirmation / change / cancellation notice for a reservation (e-mail now; LINE push when linked). */
  "send-reservation-notice": {
    queue: "mail",
    payload: z.object({ tenantId: uuid, reservationId: uuid, kind: z.enum(["confirmed", "changed", "cancelled", "slot-closed"]), noticeId: uuid }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 } },
  },
  /**
   * One stored LINE webhook event (line_webhook_events row): follow/unfollow, survey postbacks,
   * keywords. The event itself stays in PostgreSQL; only its id travels through Redis.
   */
  "process-line-event": {
    queue: "line",
    payload: z.object({ tenantId: uuid, eventId: uuid }),
    // Reply tokens expire within about a minute: retry quickly, and not for long.
    options: { attempts: 5, backoff: { type: "exponential", delay: 1_000 } },
  },
  /**
   * Starts one run of a broadcast (ADR broadcasts): snapshots the audience into chunks once, then
   * queues every unsent chunk. Safe to repeat: a second start only re-queues what is unsent.
   */
  "start-broadcast-run": {
    queue: "broadcast",
    payload: z.object({ tenantId: uuid, runId: uuid }),
    options: { attempts: 10, backoff: { type: "exponential", delay: 2_000 } },
  },
  /** One multicast of ≤ 500 recipients, with a retry key derived from (run, seq). Queued by the start job. */
  "send-broadcast-chunk": {
    queue: "broadcast",
    payload: z.object({ tenantId: uuid, runId: uuid, seq: z.number().int().min(0) }),
    options: { attempts: 8, backoff: { type: "exponential", delay: 2_000 } },
  },
  /** Once a minute (job scheduler): starts due scheduled/recurring broadcasts and resumes stalled runs. */
  "sweep-broadcasts": {
    queue: "broadcast",
    payload: z.object({}),
    options: { attempts: 1 },
  },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType; options: Record<string, unknown> }>;

export type JobName = keyof typeof catalogue;
export type JobPayload<N extends JobName> = z.infer<(typeof catalogue)[N]["payload"]>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(catalogue, name);
}
