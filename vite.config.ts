import { randomUUID } from "node:crypto";
import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";
import { DEV_PEER_HEADER, devPeers, resolveClientAddress, trustedProxyHops } from "./app/lib/client-address.server";

/**
 * `react-router dev` gives routes no load context, so the client address (ADR 026) travels from the
 * socket to app/root.tsx's middleware through a one-time token; see app/lib/client-address.server.ts.
 */
function clientAddressInDev(): Plugin {
  return {
    name: "madoguchi:client-address",
    configureServer(server) {
      const hops = trustedProxyHops();
      server.middlewares.use((req, res, next) => {
        const token = randomUUID();
        devPeers().set(token, resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], hops));
        req.headers[DEV_PEER_HEADER] = token;
        res.on("close", () => devPeers().delete(token));
        next();
      });
    },
  };
}

export default defineConfig({
  // Vite 8 resolves tsconfig "paths" natively; needed for the dev server (build works without).
  resolve: { tsconfigPaths: true },
  // Routes are discovered lazily in dev, so Vite found their dependencies on a first visit,
  // pre-bundled them and reloaded the page (issue 13.8: the demo's first clicks reloaded). Scanning
  // every route module at start finds them all before the first page is served.
  optimizeDeps: { entries: ["app/root.tsx", "app/routes/**/*.tsx"] },
  plugins: [clientAddressInDev(), tailwindcss(), reactRouter()],
});
