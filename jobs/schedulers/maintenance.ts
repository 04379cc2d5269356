import { catalogue } from "../catalogue";
import type { Queues } from "../queues.server";
import { TOKYO_TIME_ZONE } from "~/lib/japan-time";

/**
 * Repeating maintenance jobs (BullMQ job schedulers: upsert = one definition per id however many
 * workers start, so running N workers never multiplies the schedule). Times are Japan time.
 */
export const MAINTENANCE_SCHEDULES = [
  // Late in the day, so the snapshot labelled with today's date holds (nearly) the whole day.
  { id: "snapshot-friend-counts-daily", name: "snapshot-friend-counts", pattern: "50 23 * * *", data: {} },
  // Quiet hours: the purge deletes in batches but still touches many rows.
  { id: "purge-retention-daily", name: "purge-retention", pattern: "30 3 * * *", data: {} },
] as const;

type Log = (msg: string, extra?: object) => void;

async function upsertAll(queues: Queues) {
  for (const s of MAINTENANCE_SCHEDULES) {
    const def = catalogue[s.name];
    await queues.queues[def.queue].upsertJobScheduler(
      s.id,
      { pattern: s.pattern, tz: TOKYO_TIME_ZONE },
      { name: s.name, data: def.payload.parse(s.data), opts: def.options },
    );
  }
}

/**
 * Registers the schedules; when Redis is not reachable yet (the producers' connection fails fast),
 * tries again every `retryMs` until it is, without holding up the worker's start.
 */
export function registerMaintenanceSchedulers(queues: Queues, log: Log = () => {}, retryMs = 10_000): Promise<void> {
  return (async () => {
    for (;;) {
      try {
        await upsertAll(queues);
        log("maintenance schedulers registered", { schedulers: MAINTENANCE_SCHEDULES.map((s) => s.id) });
        return;
      } catch (e) {
        log("maintenance schedulers not registered yet", { error: e instanceof Error ? e.message : String(e) });
        await new Promise((r) => setTimeout(r, retryMs).unref());
      }
    }
  })();
}
