import { createServer } from "node:net";
import { readFileSync } from "node:fs";

/**
 * Load shapes for the HTTP benchmarks, on top of http-load.ts's lean client.
 *
 * - openLoop: requests are released by the clock at a fixed rate, whatever the server answers, and
 *   each latency is measured from the request's *scheduled* time. A server that falls behind thus
 *   shows its queueing (client-side socket queue included) instead of silently slowing the load
 *   down (coordinated omission).
 * - closedLoop: `concurrency` workers, each sending the next request when the previous answered:
 *   the maximum throughput at that concurrency.
 */
export type Send = (i: number) => Promise<number>; // resolves the HTTP status

export type LoadResult = {
  sent: number;
  /** Per request index: the HTTP status, or 0 for a transport error. */
  statuses: Int16Array;
  latenciesMs: Float64Array;
  wallSeconds: number;
  /** How late the generator released its most-late request (its own event-loop lag). */
  maxSendLagMs: number;
  errorSamples: string[];
};

export function openLoop(send: Send, opts: { rate: number; count: number }): Promise<LoadResult> {
  const { rate, count } = opts;
  const statuses = new Int16Array(count);
  const latenciesMs = new Float64Array(count);
  const errorSamples: string[] = [];
  let released = 0;
  let finished = 0;
  let maxSendLagMs = 0;
  let lastDone = 0;
  const t0 = performance.now() + 2;
  return new Promise((resolve) => {
    const done = () =>
      resolve({ sent: count, statuses, latenciesMs, wallSeconds: (lastDone - t0) / 1000, maxSendLagMs, errorSamples });
    const tick = () => {
      const now = performance.now();
      const due = Math.min(count, Math.max(0, Math.floor(((now - t0) * rate) / 1000) + 1));
      while (released < due) {
        const i = released++;
        const scheduled = t0 + (i * 1000) / rate;
        if (now - scheduled > maxSendLagMs) maxSendLagMs = now - scheduled;
        send(i)
          .then(
            (status) => (statuses[i] = status),
            (e: unknown) => {
              statuses[i] = 0;
              if (errorSamples.length < 5) errorSamples.push(String(e));
            },
          )
          .finally(() => {
            lastDone = performance.now();
            latenciesMs[i] = lastDone - scheduled;
            if (++finished === count) done();
          });
      }
      if (released < count) setTimeout(tick, 1);
    };
    if (count === 0) return resolve({ sent: 0, statuses, latenciesMs, wallSeconds: 0, maxSendLagMs: 0, errorSamples });
    setTimeout(tick, 2);
  });
}

export async function closedLoop(send: Send, opts: { count: number; concurrency: number }): Promise<LoadResult> {
  const { count, concurrency } = opts;
  const statuses = new Int16Array(count);
  const latenciesMs = new Float64Array(count);
  const errorSamples: string[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const started = performance.now();
        try {
          statuses[i] = await send(i);
        } catch (e) {
          statuses[i] = 0;
          if (errorSamples.length < 5) errorSamples.push(String(e));
        }
        latenciesMs[i] = performance.now() - started;
      }
    }),
  );
  return {
    sent: count,
    statuses,
    latenciesMs,
    wallSeconds: (performance.now() - t0) / 1000,
    maxSendLagMs: 0,
    errorSamples,
  };
}

/** Nearest-rank percentile, rounded to 0.1 ms; null for no data. */
export function percentile(xs: ArrayLike<number>, p: number): number | null {
  if (xs.length === 0) return null;
  const s = Float64Array.from(xs).sort();
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! * 10) / 10;
}

export function statusCounts(statuses: Int16Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of statuses) counts[s === 0 ? "error" : String(s)] = (counts[s === 0 ? "error" : String(s)] ?? 0) + 1;
  return counts;
}

/** Fails early when something (another engineer's server) already listens on the port. */
export function assertPortFree(port: number, host = "127.0.0.1"): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (e) =>
      reject(
        new Error(
          `port ${port} is in use (${(e as NodeJS.ErrnoException).code}); set another with the BENCH_*PORT variables`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** CPU seconds (user, system) used so far by each pid still alive; gone pids are left out. */
export function pidsCpu(pids: number[]): Map<number, { user: number; system: number }> {
  const out = new Map<number, { user: number; system: number }>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(pid, { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 });
    } catch {
      /* gone, or not Linux */
    }
  }
  return out;
}

/** CPU used between two pidsCpu snapshots; a pid that appeared in between counts from zero. */
export function cpuDelta(
  before: Map<number, { user: number; system: number }>,
  after: Map<number, { user: number; system: number }>,
) {
  let user = 0;
  let system = 0;
  for (const [pid, a] of after) {
    const b = before.get(pid) ?? { user: 0, system: 0 };
    user += a.user - b.user;
    system += a.system - b.system;
  }
  return { user, system };
}
