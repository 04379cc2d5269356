import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express, { type ErrorRequestHandler, type Request } from "express";
import type { ServerBuild } from "react-router";

/**
 * What the app's server entry may expose to the production server (app/entry.server.tsx), so that
 * hot framework-free paths run inside the same module graph (one DB pool, one env) as the pages.
 */
export type LineWebhookHandler = (input: { tenantId: string; rawBody: Buffer; signature: string | null; method: string }) => Promise<{ status: number; body: string }>;
type EntryExtras = { handleLineWebhook?: LineWebhookHandler };

const isDataRequest = (req: Request) => req.path.endsWith(".data");

/**
 * The production web app: express (static assets, compression, the React Router handler) with the
 * LINE webhook routed before React Router. LINE gives up after 2 s and a city's rush of follow
 * events must not queue behind page renders, so the webhook's ack path skips routing, middleware and
 * the Fetch Request conversion altogether. Request logging is left to the proxy in front (access
 * logs per request cost more than the booking itself under a rush); errors are logged here.
 */
export function createWebApp(build: ServerBuild) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY === "1");

  const extras = build.entry.module as unknown as EntryExtras;
  if (extras.handleLineWebhook) {
    const handle = extras.handleLineWebhook;
    app.all("/webhooks/line/:tenantId", express.raw({ type: () => true, limit: "1mb" }), (req, res, next) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      handle({ tenantId: req.params.tenantId!, rawBody, signature: req.get("x-line-signature") ?? null, method: req.method })
        .then((r) => res.status(r.status).type("application/json").send(r.body))
        .catch(next);
    });
  }

  // Data requests (small JSON-ish turbo-stream answers) are not worth compressing; pages and assets are.
  app.use(compression({ filter: (req, res) => !isDataRequest(req as Request) && compression.filter(req, res) }));
  app.use("/assets", express.static(path.join(build.assetsBuildDirectory, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));

  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, _next) => {
    if (err.type === "entity.too.large") return void res.status(413).json({ message: "payload too large" });
    console.error(JSON.stringify({ level: "error", msg: "request failed", error: err instanceof Error ? err.message : String(err) }));
    if (!res.headersSent) res.status(500).json({ message: "internal error" });
  };
  app.use(onError);
  return app;
}
