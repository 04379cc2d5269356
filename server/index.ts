/**
 * Production web process: `npm start` (node build/node/web.js).
 *   PORT (3000), HOST (0.0.0.0), WEB_CONCURRENCY (1): with N > 1 the process forks N workers that
 *   share the port (node:cluster); the web tier is stateless, so this is how one machine uses its cores.
 * SIGTERM: stop accepting, finish in-flight requests, close the DB pool and Redis, exit.
 */
import cluster from "node:cluster";
import type { Server } from "node:http";
import type { ServerBuild } from "react-router";
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
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.once(sig, () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    });
  }
} else {
  await start();
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
