/**
 * The production request pipeline (server/app.ts: fast paths, express, React Router with
 * app/entry.server.tsx) in a child process of its own, so a test can read everything the server
 * logs — pino writes straight to file descriptor 1, which no in-process hook can capture. The server
 * build comes from the React Router Vite plugin (as in security-headers.test.ts), so the test runs
 * the current source even where `npm run build` has not run yet. Listens on a free port and prints
 * `LISTENING <port>`; stops on SIGTERM. Run: `node --import tsx tests/setup/web-child.ts`.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "react-router";
import { createServer } from "vite";

const vite = await createServer({
  configFile: "vite.config.ts",
  logLevel: "error",
  appType: "custom",
  server: { middlewareMode: true, hmr: false, ws: false },
});
const build = (await vite.ssrLoadModule("virtual:react-router/server-build")) as ServerBuild;
const { createWebServer } = (await vite.ssrLoadModule("/server/app.ts")) as typeof import("../../server/app");
const server: Server = createWebServer(build);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
});

process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => void vite.close().finally(() => process.exit(0)));
  setTimeout(() => process.exit(0), 3_000).unref();
});
