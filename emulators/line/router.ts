import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, readBody, type Ctx, type Reply, type Route } from "./http";
import { newRequestId } from "./ids";
import type { EmulatorState } from "./state";

/**
 * Request pipeline: request id → route match → body (≤ 2 MB) → for LINE routes bearer auth, rate
 * limit and per-endpoint stats → handler → response. Any failure inside becomes an HTTP answer; a
 * bad request must never take the emulator down for everyone else using it.
 */

type Compiled = { route: Route; regex: RegExp; keys: string[]; endpoint: string };

const AUTH_REQUIRED = "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'";
const AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid.";
const RATE_LIMITED = "The API rate limit has been exceeded. Try again later.";

function compile(route: Route): Compiled {
  const keys: string[] = [];
  const pattern = route.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:(\w+)/g, (_m, key: string) => {
    keys.push(key);
    return "([^/]+)";
  });
  return { route, regex: new RegExp(`^${pattern}/?$`), keys, endpoint: `${route.method} ${route.path}` };
}

function write(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.raw) {
    res.writeHead(reply.status, {
      "content-type": reply.contentType ?? "application/octet-stream",
      "content-length": reply.raw.length,
    });
    res.end(reply.raw);
    return;
  }
  const payload = reply.status === 204 ? "" : JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function createRequestHandler(state: EmulatorState, routes: Route[]) {
  const compiled = routes.map(compile);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<Reply> {
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://emulator.invalid");
    } catch (_err) {
      return { status: 404, body: { message: "Not found" } };
    }
    if (url.pathname.startsWith("/__emulator/")) {
      // Permissive CORS on the control API only, so a browser dev page can drive it.
      res.setHeader("access-control-allow-origin", "*");
      res.setHeader("access-control-allow-methods", "GET, POST, PUT, DELETE, OPTIONS");
      res.setHeader("access-control-allow-headers", "content-type");
      if (req.method === "OPTIONS") return { status: 204 };
    }
    let match: { c: Compiled; params: Record<string, string> } | undefined;
    let pathKnown = false;
    for (const c of compiled) {
      const m = c.regex.exec(url.pathname);
      if (!m) continue;
      pathKnown = true;
      if (c.route.method !== req.method) continue;
      const params: Record<string, string> = {};
      try {
        c.keys.forEach((k, i) => {
          params[k] = decodeURIComponent(m[i + 1]);
        });
      } catch (_err) {
        return { status: 404, body: { message: "Not found" } }; // malformed %-escape
      }
      match = { c, params };
      break;
    }
    if (!match)
      return pathKnown
        ? { status: 405, body: { message: "Method not allowed" } }
        : { status: 404, body: { message: "Not found" } };

    const { body, tooLarge } = await readBody(req);
    if (tooLarge) return { status: 413, body: { message: "Request entity too large" } };
    const { c, params } = match;
    const ctx: Ctx = {
      req,
      url,
      params,
      requestId: res.getHeader("x-line-request-id") as string,
      state,
      body,
      endpoint: c.endpoint,
    };
    if (c.route.kind === "plain") return c.route.handler(ctx);

    const auth = req.headers.authorization;
    const token = auth?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (!token) return { status: 401, body: { message: AUTH_REQUIRED } };
    const channel = state.channelByToken(token);
    if (!channel) return { status: 401, body: { message: AUTH_FAILED } };
    let reply: Reply;
    if (!state.limiter.take(channel.channelId, c.route.limit)) {
      reply = { status: 429, body: { message: RATE_LIMITED } };
    } else {
      try {
        reply = await c.route.handler(ctx, channel);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        reply = { status: err.status, body: err.body, headers: err.headers };
      }
    }
    state.countResponse(channel.channelId, c.endpoint, reply.status);
    return reply;
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader("x-line-request-id", newRequestId());
    handle(req, res).then(
      (reply) => write(res, reply),
      (err: unknown) => {
        if (err instanceof HttpError) return write(res, { status: err.status, body: err.body, headers: err.headers });
        if (req.destroyed || res.destroyed) return; // the client went away mid-request; nothing to answer
        console.error("[line-emulator] unexpected error", err);
        write(res, { status: 500, body: { message: "Internal server error" } });
      },
    );
  };
}
