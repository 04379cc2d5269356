/**
 * Production web process: `npm start` (node build/node/web.js).
 *   PORT (3000), HOST (0.0.0.0), WEB_CONCURRENCY (1): with N > 1 the process forks N workers that
 *   share the port (node:cluster); the web tier is stateless, so this is how one machine uses its cores.
 *   METRICS_PORT (0 = off): /metrics on its own port with METRICS_TOKEN (ADR 037); with N > 1 the
 *   primary serves it, adding up its workers' registries (prom-client's AggregatorRegistry).
 * SIGTERM: stop accepting, finish in-flight requests, close the DB pool and Redis, exit.
 */
import cluster from "node:cluster";
import { createServer, type Server } from "node:http";
import { AggregatorRegistry } from "prom-client";
import type { ServerBuild } from "react-router";
import { env } from "~/lib/env.server";
import { serveMetrics } from "~/lib/metrics.server";
import { createWebServer } from "./app";
import { log } from "~/lib/log.server";

const workers = Math.max(1, Number(process.env.WEB_CONCURRENCY ?? 1) || 1);

if (cluster.isPrimary && workers > 1) {
  let stopping = false;
  const fork = () =>
    cluster.fork().on("exit", (code) => {
      // A crashed worker is replaced; a stopping one is not.
      if (!stopping) {
        log().error({ exitCode: code }, "web worker exited; restarting");
        fork();
      }
    });
  for (let i = 0; i < workers; i++) fork();
  const aggregate = new AggregatorRegistry();
  startMetricsServer(() => aggregate.clusterMetrics());
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.once(sig, () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    });
  }
} else {
  await start();
  if (cluster.isPrimary) startMetricsServer();
}

/** Never the public port: a scrape needs this port and the bearer token. Never fatal. */
function startMetricsServer(text?: () => Promise<string>) {
  const { METRICS_PORT, METRICS_TOKEN } = env();
  if (!METRICS_PORT) return;
  const server = createServer((req, res) => {
    if (!serveMetrics(req, res, METRICS_TOKEN, text)) res.writeHead(404, { "content-type": "text/plain" }).end();
  });
  server.on("error", (e) => log().error({ error: e.message }, "metrics not served"));
  server.listen(METRICS_PORT, process.env.HOST ?? "0.0.0.0").unref();
}

async function start() {
  const buildPath = new URL("../server/index.js", import.meta.url);
  const build = (await import(buildPath.href)) as ServerBuild;
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "0.0.0.0";
  const server: Server = createWebServer(build).listen(port, host, () => {
    if (cluster.isPrimary || cluster.worker?.id === 1)
      log().info({ url: `http://${host === "0.0.0.0" ? "localhost" : host}:${port}` }, "web listening");
  });
  // Keep-alive longer than a typical proxy's idle timeout, so the proxy never reuses a closed socket.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.once(sig, () => {
      server.close(() => process.exit(0));
      server.closeIdleConnections();
      // In-flight requests get 10 s; the DB pool closes itself on the same signal (db/client.server.ts).
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
}
