import type { Queues } from "../queues.server";

/** The scheduler's id in BullMQ: upserting it again (every worker boot, several workers) keeps one schedule. */
export const REMINDER_SCHEDULER_ID = "sweep-reminders-every-minute";
export const REMINDER_SWEEP_EVERY_MS = 60_000;

/**
 * Registers the reminder sweep (job "sweep-reminders") to run every minute. Idempotent: BullMQ's
 * job scheduler is keyed by id, so every worker calling this at boot still yields one sweep per
 * minute. Redis may not be up yet when a worker starts (producers fail fast, see queues.server.ts):
 * then it retries in the background every 5 s instead of stopping the worker.
 */
export function registerReminderScheduler(queues: Queues, log: (msg: string, extra?: object) => void = () => {}) {
  let timer: NodeJS.Timeout | undefined;
  const attempt = async () => {
    try {
      await queues.queues.reminders.upsertJobScheduler(
        REMINDER_SCHEDULER_ID,
        { every: REMINDER_SWEEP_EVERY_MS },
        {
          name: "sweep-reminders",
          data: {},
          // A sweep that failed is not retried: the next one, a minute later, does the same work.
          opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
        },
      );
      log("reminder sweep scheduled", { everyMs: REMINDER_SWEEP_EVERY_MS });
    } catch (e) {
      log("reminder scheduler not registered yet; retrying", { error: e instanceof Error ? e.message : String(e) });
      timer = setTimeout(() => void attempt(), 5_000);
      timer.unref();
    }
  };
  void attempt();
  return { stop: () => clearTimeout(timer) };
}
