import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import http from "node:http";
import express, { type ErrorRequestHandler, type Request } from "express";
import type { ServerBuild } from "react-router";
import { resolveClientAddress, trustedProxyHops, type createLoadContext } from "~/lib/client-address.server";
import { NON_DOCUMENT_CSP, staticSecurityHeaders, type HeaderList } from "~/lib/security-headers.server";
import { clientErrorHandler, rejectBadPaths } from "./client-errors";
import { serveFastPath, type FastPathHandlers } from "./fast-paths";
import { log } from "~/lib/log.server";

const isDataRequest = (req: Request) => req.path.endsWith(".data");

/**
 * The production web server: node:http, whose listener first offers the request to the two
 * framework-free hot paths (fast-paths.ts, ADR 010), then hands it to express — static assets,
 * compression, the React Router handler. Request logging is left to the proxy in front (an access
 * log line per request costs more than a booking under a rush); errors are logged here.
 */
export function createWebServer(build: ServerBuild) {
  const app = createWebApp(build);
  const handlers = { ...(build.entry.module as unknown as FastPathHandlers), proxyHops: trustedProxyHops() };
  const fastPathHeaders = Object.fromEntries(staticSecurityHeaders(appOrigin()));
  return http.createServer((req, res) => {
    if (!serveFastPath(req, res, handlers, fastPathHeaders)) app(req, res);
  });
}

// APP_ORIGIN is required in production (app/lib/env.server.ts); read here only to decide on HSTS.
const appOrigin = () => process.env.APP_ORIGIN ?? "";

export function createWebApp(build: ServerBuild) {
  const app = express();
  app.disable("x-powered-by");
  // One client address per request, from the socket (ADR 026): express counts hops the same way.
  const hops = trustedProxyHops();
  app.set("trust proxy", hops);
  // Pages get their headers (and their CSP nonce) from entry.server.tsx; everything else — data
  // requests, resource routes, assets, errors — gets the static set here. Filled in just before the
  // head is written and only where the answer has none, so a page's own CSP or no-referrer is never
  // doubled (the React Router adapter appends its headers, it does not replace them).
  const fill: HeaderList = [...staticSecurityHeaders(appOrigin()), ["Content-Security-Policy", NON_DOCUMENT_CSP]];
  app.use((_req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      for (const [name, value] of fill) if (!this.hasHeader(name)) this.setHeader(name, value);
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  });

  // Undecodable or NUL-carrying URLs: a 400 page here, before anything tries to decode them (ADR 028).
  app.use(rejectBadPaths);

  // Data requests (small JSON-ish turbo-stream answers) are not worth compressing; pages and assets are.
  app.use(compression({ filter: (req, res) => !isDataRequest(req as Request) && compression.filter(req, res) }));
  app.use(
    "/assets",
    express.static(path.join(build.assetsBuildDirectory, "assets"), { immutable: true, maxAge: "1y" }),
  );
  // Other public files (favicon.ico, robots.txt…) have an extension; pages and data requests do not
  // (".data" aside), so they skip the file-system lookup that express.static would do for each one.
  const publicFiles = express.static(build.assetsBuildDirectory, { maxAge: "1h" });
  app.use(build.publicPath, (req, res, next) =>
    /\.[a-z0-9]+$/i.test(req.path) && !isDataRequest(req) ? publicFiles(req, res, next) : next(),
  );
  const { createLoadContext: loadContext } = build.entry.module as unknown as {
    createLoadContext: typeof createLoadContext;
  };
  const getLoadContext = (req: Request) =>
    loadContext(resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], hops));
  app.all("*", createRequestHandler({ build, mode: "production", getLoadContext }));

  app.use(clientErrorHandler);
  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, _next) => {
    if (err.type === "entity.too.large") return void res.status(413).json({ message: "payload too large" });
    log().error({ error: err instanceof Error ? err.message : String(err) }, "request failed");
    if (!res.headersSent) res.status(500).json({ message: "internal error" });
  };
  app.use(onError);
  return app;
}
