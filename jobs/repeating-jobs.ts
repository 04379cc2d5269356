import { catalogue, type JobName, type Repeat } from "./catalogue";
import type { Queues } from "./queues.server";

/**
 * The repeating jobs (ADR 030): every catalogue entry with a `repeat` becomes one BullMQ job
 * scheduler, by one function. An upsert keyed by the scheduler's id, so N workers starting keep one
 * schedule, and a changed definition replaces the old one at the next start.
 *
 * Redis may lose them: a failover to an empty replica, a flush, an eviction. The worker then keeps
 * running and processing, but nothing would ever queue a sweep again. So the worker keeps them
 * registered: at start (retrying until Redis answers), whenever the producer connection is ready
 * again after a reconnect, and on a periodic check that re-registers them when any is missing.
 */
export const REPEATING_JOBS = (Object.keys(catalogue) as JobName[]).flatMap((name) => {
  const def = catalogue[name] as (typeof catalogue)[JobName] & { repeat?: Repeat };
  return def.repeat ? [{ name, queue: def.queue, repeat: def.repeat, options: def.options }] : [];
});

/** How often the worker checks that its schedulers still exist in Redis. */
export const REPEATING_CHECK_EVERY_MS = 15_000;

type Log = (msg: string, extra?: object) => void;

/** Upserts every repeating job's scheduler. Rejects when Redis does not answer. */
export async function registerRepeatingJobs(queues: Queues) {
  for (const job of REPEATING_JOBS) {
    const { id, ...repeat } = job.repeat;
    await queues.queues[job.queue].upsertJobScheduler(id, repeat, {
      name: job.name,
      data: catalogue[job.name].payload.parse({}),
      // A run that failed is not retried beyond its catalogue options: the next run does the work.
      opts: { ...job.options, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    });
  }
}

/** The ids of the schedulers Redis does not hold (any more). */
export async function missingRepeatingJobs(queues: Queues) {
  const found = await Promise.all(REPEATING_JOBS.map((job) => queues.queues[job.queue].getJobScheduler(job.repeat.id)));
  return REPEATING_JOBS.filter((_, i) => !found[i]).map((job) => job.repeat.id);
}

/**
 * Registers the repeating jobs now and keeps them registered: a reconnect of the producer
 * connection or a check every `checkEveryMs` that finds one missing registers all again. Returns
 * stop(), and check() for one round on demand.
 */
export function keepRepeatingJobsRegistered(
  queues: Queues,
  { log = () => {}, checkEveryMs = REPEATING_CHECK_EVERY_MS }: { log?: Log; checkEveryMs?: number } = {},
) {
  let registered = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedulers = REPEATING_JOBS.map((j) => j.repeat.id);

  async function check(why: "start" | "reconnect" | "check") {
    try {
      if (why === "check" && registered) {
        const missing = await missingRepeatingJobs(queues);
        if (missing.length === 0) return;
        log("repeating jobs missing from Redis; registering them again", { missing });
      }
      await registerRepeatingJobs(queues);
      if (!registered || why !== "start") log("repeating jobs registered", { why, schedulers });
      registered = true;
    } catch (e) {
      // The producer connection fails fast while Redis is away: the next round tries again.
      log("repeating jobs not registered yet", { why, error: e instanceof Error ? e.message : String(e) });
    }
  }

  const round = async (why: "start" | "check") => {
    await check(why);
    // Until the first registration, retry soon; afterwards, the periodic check.
    if (!stopped) timer = setTimeout(() => void round("check"), registered ? checkEveryMs : 2_000).unref();
  };
  // A reconnect may be to an empty replica: register again at once, not at the next check.
  const onReady = () => {
    if (registered) void check("reconnect");
  };
  queues.connection.on("ready", onReady);
  void round("start");
  return {
    check: () => check("check"),
    stop() {
      stopped = true;
      clearTimeout(timer);
      queues.connection.off("ready", onReady);
    },
  };
}
