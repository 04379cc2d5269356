import type { ServerBuild } from "react-router";
import { createServer } from "vite";
import { createWebServer } from "../../server/app";

/**
 * The production web server (server/app.ts: fast paths, express, React Router with entry.server and
 * root) as its own process, for tests that must see whether the process survives (ADR 029). Vitest
 * runs before `npm run build`, so the server build comes from the React Router Vite plugin, as in
 * tests/integration/security-headers.test.ts. PORT and the usual env (DATABASE_URL, APP_ORIGIN…).
 */
const vite = await createServer({
  configFile: "vite.config.ts",
  logLevel: "error",
  appType: "custom",
  server: { middlewareMode: true, hmr: false, ws: false },
});
const build = (await vite.ssrLoadModule("virtual:react-router/server-build")) as ServerBuild;
const server = createWebServer(build).listen(Number(process.env.PORT), "127.0.0.1", () =>
  console.log(JSON.stringify({ msg: "web listening", port: process.env.PORT })),
);
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void vite.close().finally(() => process.exit(0));
});
