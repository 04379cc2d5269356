import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "react-router";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tenant } from "#db/schema/index";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { createWebServer } from "../../server/app";

/**
 * Real pages through the production server's request handler (server/app.ts: the fast paths, express,
 * React Router with app/entry.server.tsx and app/root.tsx). The server build comes from the React
 * Router Vite plugin in-process (Vitest runs before `npm run build`), so the page is rendered by the
 * very entry and root modules the production build bundles.
 */
const dbs = testDbs();
let vite: ViteDevServer;
let server: Server;
let base = "";
let city: Tenant;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb);
  vite = await createServer({
    configFile: "vite.config.ts",
    logLevel: "error",
    appType: "custom",
    server: { middlewareMode: true, hmr: false, ws: false },
  });
  const build = (await vite.ssrLoadModule("virtual:react-router/server-build")) as ServerBuild;
  server = createWebServer(build);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  // The app's own pool, loaded through Vite's module graph.
  const db = (await vite.ssrLoadModule("/db/client.server.ts")) as { closeDb(): Promise<void> };
  await db.closeDb();
  const redis = (await vite.ssrLoadModule("/app/lib/redis.server.ts")) as { closeRedis?(): Promise<void> };
  await redis.closeRedis?.();
  await vite.close();
  await dbs.close();
});

async function page(path: string) {
  const res = await fetch(`${base}${path}`);
  const html = await res.text();
  const csp = res.headers.get("content-security-policy") ?? "";
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  return { res, html, csp, nonce, scripts };
}

describe("security headers through the production request handler", () => {
  it("a resident page: enforced CSP with a nonce that every <script> carries, and the static set", async () => {
    const { res, csp, nonce, scripts, html } = await page(`/c/${city.slug}/reserve`);
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="ja"');
    expect(nonce).toBeTruthy();
    expect(res.headers.get("content-security-policy-report-only")).toBeNull();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' https://api.line.me");
    // Not doubled by server/app.ts's fill-in (that one would say default-src 'none').
    expect(csp).not.toContain("default-src 'none'");
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
  });

  it("a fresh nonce for every page", async () => {
    const a = await page("/vendor/login");
    const b = await page("/vendor/login");
    expect(a.nonce).toBeTruthy();
    expect(a.nonce).not.toBe(b.nonce);
    for (const tag of b.scripts) expect(tag).toContain(`nonce="${b.nonce}"`);
  });

  it("a password-reset link's page (token in the URL) sends no Referer, and once", async () => {
    const { res, nonce } = await page("/vendor/password/reset/not-a-real-token");
    expect(nonce).toBeTruthy();
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("an error page (404) gets the same protection", async () => {
    const { res, nonce, scripts } = await page("/no-such-page-for-headers");
    expect(res.status).toBe(404);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("a resource route and a data request get the static set and the locked-down CSP", async () => {
    for (const path of ["/healthz", "/vendor/login.data"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.headers.get("content-security-policy"), path).toMatch(/^default-src 'none'; /);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      await res.arrayBuffer();
    }
  });

  it("the booking fast path gets the static set", async () => {
    const res = await fetch(`${base}/c/${city.slug}/reserve/book`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toBeNull();
  });
});
