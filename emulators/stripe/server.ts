import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { apiRoutes, type ApiRoute } from "./api";
import { Billing } from "./billing";
import { controlRoutes, type ControlRoute } from "./control";
import { StripeFakeError } from "./errors";
import { EventBus } from "./events";
import { FormError, ParamError, parseForm, type FormObject } from "./form";
import { API_VERSION, FakeState, newId } from "./state";

/**
 * A Stripe API fake (see README.md): the /v1 paths stripe-node calls, reached through the app's
 * configured base URL, with Stripe's form encoding, errors, ids, Idempotency-Key handling, `expand`,
 * and signed webhooks POSTed back to the app. A /__fake control API drives what Stripe would do on
 * its own (payments arriving, due dates passing).
 */

export type StripeFakeOptions = {
  port?: number;
  host?: string;
  /** Accepted secret key; default: any `sk_test_…` key. */
  apiKey?: string;
  /** Where events are POSTed (changeable at runtime: POST /__fake/webhook-endpoint). */
  webhookUrl?: string | null;
  /** The endpoint secret events are signed with. */
  webhookSecret?: string;
  webhookTimeoutMs?: number;
};

export type StripeFake = {
  url: string;
  port: number;
  state: FakeState;
  flush(): Promise<void>;
  close(): Promise<void>;
};

type Compiled<R> = { route: R; regex: RegExp; keys: string[] };
function compile<R extends { path: string }>(route: R): Compiled<R> {
  const keys: string[] = [];
  const pattern = route.path.replace(/:(\w+)/g, (_m, k: string) => {
    keys.push(k);
    return "([^/]+)";
  });
  return { route, regex: new RegExp(`^${pattern}$`), keys };
}
function match<R extends { method: string; path: string }>(list: Compiled<R>[], method: string, path: string) {
  let known = false;
  for (const c of list) {
    const m = c.regex.exec(path);
    if (!m) continue;
    known = true;
    if (c.route.method !== method) continue;
    const params: Record<string, string> = {};
    c.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)));
    return { route: c.route, params, known };
  }
  return { route: undefined, params: {}, known };
}

const MAX_BODY = 1024 * 1024;
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () =>
      size > MAX_BODY
        ? reject(new StripeFakeError(413, "invalid_request_error", "Request body too large"))
        : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

/** `expand[]`: replaces ids with the objects they name (one level, and `data.x` inside lists). */
function expand(state: FakeState, value: unknown, paths: string[]): unknown {
  const out = structuredClone(value) as Record<string, unknown>;
  const lookup = (id: unknown) => {
    if (typeof id !== "string") return id;
    for (const m of [state.customers, state.invoices, state.subscriptions, state.prices, state.products] as Map<
      string,
      unknown
    >[])
      if (m.has(id)) return structuredClone(m.get(id));
    return id;
  };
  for (const path of paths) {
    const parts = path.split(".");
    const walk = (node: unknown, i: number): unknown => {
      if (node === null || typeof node !== "object") return node;
      const obj = node as Record<string, unknown>;
      const key = parts[i]!;
      if (Array.isArray(obj[key]) && key === "data")
        (obj[key] as unknown[]).forEach((el, j) => ((obj[key] as unknown[])[j] = walk(el, i + 1)));
      else if (i === parts.length - 1) obj[key] = lookup(obj[key]);
      else obj[key] = walk(obj[key], i + 1);
      return obj;
    };
    walk(out, 0);
  }
  return out;
}

export async function startStripeFake(opts: StripeFakeOptions = {}): Promise<StripeFake> {
  const host = opts.host ?? "127.0.0.1";
  const state = new FakeState({
    url: opts.webhookUrl ?? null,
    secret: opts.webhookSecret ?? "whsec_madoguchi_fake_secret",
  });
  const bus = new EventBus(state, opts.webhookTimeoutMs ?? 10_000);
  let baseUrl = "";
  const billing = new Billing(state, bus, () => baseUrl);
  const api = apiRoutes.map(compile<ApiRoute>);
  const control = controlRoutes.map(compile<ControlRoute>);

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const payload = JSON.stringify(body, null, 2);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
      ...headers,
    });
    res.end(payload);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL) {
    const requestId = newId("req");
    const headers: Record<string, string> = {
      "request-id": requestId,
      "stripe-version": String(req.headers["stripe-version"] ?? API_VERSION),
    };
    const method = req.method ?? "GET";
    const { route, params, known } = match(api, method, url.pathname);
    if (!route) {
      const message = known
        ? `Method ${method} is not supported for ${url.pathname}.`
        : `Unrecognized request URL (${method}: ${url.pathname}). The Stripe fake implements only what the app uses; see emulators/stripe/README.md.`;
      return send(res, 404, { error: { type: "invalid_request_error", message } }, headers);
    }
    const auth = req.headers.authorization ?? "";
    const key =
      /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ??
      (auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString().split(":")[0] : undefined);
    if (!key)
      return send(
        res,
        401,
        {
          error: {
            type: "invalid_request_error",
            message:
              "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
          },
        },
        headers,
      );
    if (opts.apiKey ? key !== opts.apiKey : !key.startsWith("sk_test_")) {
      return send(
        res,
        401,
        {
          error: {
            type: "invalid_request_error",
            message: `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`,
          },
        },
        headers,
      );
    }
    const raw = await readBody(req);
    const idemKey = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : null;
    const fingerprint = `${method} ${url.pathname} ${raw}`;
    const scoped = idemKey && method !== "GET" ? `${key}\u0000${idemKey}` : null;
    if (scoped) {
      const prior = state.idempotency.get(scoped);
      if (prior && Date.now() - prior.at < 24 * 3600_000) {
        if (prior.fingerprint !== fingerprint) {
          return send(
            res,
            400,
            {
              error: {
                type: "idempotency_error",
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
              },
            },
            headers,
          );
        }
        res.writeHead(prior.status, {
          "content-type": "application/json",
          "idempotent-replayed": "true",
          "idempotency-key": idemKey!,
          ...headers,
        });
        return res.end(prior.body);
      }
    }
    let formParams: FormObject;
    try {
      formParams = { ...parseForm(url.search.slice(1)), ...(method === "GET" ? {} : parseForm(raw)) };
    } catch (err) {
      if (err instanceof FormError)
        return send(res, 400, { error: { type: "invalid_request_error", message: err.message } }, headers);
      throw err;
    }
    let result: unknown;
    try {
      result = await route.handler({
        params: formParams,
        path: params,
        req: { id: requestId, idempotencyKey: idemKey },
        state,
        bus,
        billing,
      });
    } catch (err) {
      if (err instanceof ParamError)
        return send(
          res,
          400,
          { error: { type: "invalid_request_error", message: err.message, param: err.param } },
          headers,
        );
      if (err instanceof StripeFakeError) return send(res, err.status, err.body(), headers);
      throw err;
    }
    const expands = Array.isArray(formParams.expand) ? formParams.expand.map(String) : [];
    const body = JSON.stringify(expands.length ? expand(state, result, expands) : result, null, 2);
    if (scoped) state.idempotency.set(scoped, { fingerprint, status: 200, body, at: Date.now() });
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      ...(idemKey ? { "idempotency-key": idemKey } : {}),
      ...headers,
    });
    res.end(body);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL) {
    res.setHeader("access-control-allow-origin", "*");
    const { route, params } = match(control, req.method ?? "GET", url.pathname);
    if (!route)
      return send(res, 404, {
        error: { type: "invalid_request_error", message: `No control route ${req.method} ${url.pathname}` },
      });
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    if (raw.trim()) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return send(res, 400, {
          error: { type: "invalid_request_error", message: "The control API takes JSON bodies." },
        });
      }
    }
    try {
      send(res, 200, await route.handler({ state, bus, billing, path: params, query: url.searchParams, body }));
    } catch (err) {
      if (err instanceof StripeFakeError) return send(res, err.status, err.body());
      throw err;
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stripe-fake.invalid");
    const handler = url.pathname.startsWith("/__fake/") ? handleControl : handleApi;
    handler(req, res, url).catch((err: unknown) => {
      if (res.headersSent || req.destroyed) return;
      if (err instanceof StripeFakeError) return send(res, err.status, err.body());
      console.error("[stripe-fake] unexpected error", err);
      send(res, 500, { error: { type: "api_error", message: "An unexpected error occurred in the Stripe fake." } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host}:${port}`;
  return {
    url: baseUrl,
    port,
    state,
    flush: () => bus.flush(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
