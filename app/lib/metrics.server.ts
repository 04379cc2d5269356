import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import client from "prom-client";
import type { MiddlewareFunction } from "react-router";

/**
 * Prometheus metrics (ADR 037), one registry per process (prom-client's default). Web: request
 * latency by route pattern, booking outcomes, LINE API answers, the process defaults (event-loop lag,
 * heap, CPU). Worker: the same defaults and LINE answers, plus gauges read at scrape time (outbox
 * backlog and age, queue depths, database connections; jobs/metrics.server.ts).
 *
 * Get-or-create: the production web server (build/node/web.js) and the React Router build are two
 * bundles, each with its own copy of this module, in one process. Both must land on the same
 * metric objects in prom-client's one registry, so a metric is only created if it is not there yet.
 */
const registry = client.register;

function metric<M extends client.Metric>(name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

if (!registry.getSingleMetric("process_cpu_user_seconds_total")) client.collectDefaultMetrics({ register: registry });

const httpDuration = metric(
  "madoguchi_http_request_duration_seconds",
  () =>
    new client.Histogram({
      name: "madoguchi_http_request_duration_seconds",
      help: "Time to answer a request, by route pattern (never the raw path), method and status.",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);

const bookings = metric(
  "madoguchi_booking_outcomes_total",
  () =>
    new client.Counter({
      name: "madoguchi_booking_outcomes_total",
      help: "Booking attempts by outcome: booked (a replay of the same key included), full, refused (any other rule).",
      labelNames: ["outcome"] as const,
    }),
);

const lineAnswers = metric(
  "madoguchi_line_api_responses_total",
  () =>
    new client.Counter({
      name: "madoguchi_line_api_responses_total",
      help: "Answers of the LINE Platform per try (retries counted), by operation and HTTP status (2xx on success; timeout/network without one).",
      labelNames: ["operation", "status"] as const,
    }),
);

/** A request answered (`route` is the matched pattern, e.g. /c/:city/reserve/confirm). */
export function observeRequest(route: string, method: string, status: number, seconds: number) {
  httpDuration.observe({ route, method, status: String(status) }, seconds);
}

export function countBooking(outcome: "booked" | "full" | "refused") {
  bookings.inc({ outcome });
}

export function countLineAnswer(operation: string, status: number | string) {
  lineAnswers.inc({ operation, status: String(status) });
}

/** A gauge whose value is read when scraped (the worker's outbox, queues, database). */
export function scrapedGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (set: (labels: Partial<Record<L, string>>, value: number) => void) => Promise<void>,
) {
  return metric(
    name,
    () =>
      new client.Gauge({
        name,
        help,
        labelNames,
        async collect() {
          this.reset();
          await collect((labels, value) => this.set(labels, value));
        },
      }),
  );
}

function tokenMatches(header: string | undefined, token: string) {
  const sent = Buffer.from(header?.startsWith("Bearer ") ? header.slice(7) : "");
  const want = Buffer.from(token);
  return sent.length === want.length && timingSafeEqual(sent, want);
}

/**
 * Answers GET /metrics on a node:http server that is not the public one: a bearer token is always
 * required, and without a configured token there is no /metrics at all. `text` gives the exposition
 * (this process's registry, or a cluster primary's aggregate of its workers).
 */
export function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  token: string | undefined,
  text: () => Promise<string> = () => registry.metrics(),
): boolean {
  if (req.url?.split("?")[0] !== "/metrics") return false;
  if (!token || req.method !== "GET") {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return true;
  }
  if (!tokenMatches(req.headers.authorization, token)) {
    res.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" }).end("unauthorized");
    return true;
  }
  text().then(
    (body) => res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" }).end(body),
    () => res.writeHead(500, { "content-type": "text/plain" }).end("metrics failed"),
  );
  return true;
}

/** The root middleware's timer: every page, data request and resource route, by its route pattern. */
export const timeRequests: MiddlewareFunction<Response> = async ({ request, pattern }, next) => {
  const started = performance.now();
  let status = 500;
  try {
    const res = await next();
    status = res.status;
    return res;
  } catch (e) {
    // A thrown redirect or data() answer is an answer, not a failure.
    const thrown = e as { status?: number; init?: { status?: number } | null };
    status = e instanceof Response ? e.status : (thrown.init?.status ?? 500);
    throw e;
  } finally {
    // React Router's patterns have no leading slash ("c/:city/reserve"); the fast paths' do.
    const route = pattern ? (pattern.startsWith("/") ? pattern : `/${pattern}`) : "(unmatched)";
    observeRequest(route, request.method, status, (performance.now() - started) / 1000);
  }
};
