import type { IncomingMessage, ServerResponse } from "node:http";
import type { handleBookingApi } from "~/features/reservations/booking-api.server";
import type { handleLineWebhook } from "~/features/line/webhook.server";
import { resolveClientAddress } from "~/lib/client-address.server";
import type { HeaderSource } from "~/lib/csrf.server";
import { dbUnavailableJson, isDbUnavailable } from "~/lib/db-unavailable.server";
import { log } from "~/lib/log.server";
import { observeRequest } from "~/lib/metrics.server";

/**
 * The two hot paths, served straight from node:http before express (ADR 010): the LINE webhook
 * (LINE gives up after 2 s) and the booking submit of an opening rush. Express's router and body
 * parsers cost about three times the handler's own work per request here (bench/webhook.ts), so
 * these read the body themselves, with a hard size limit. Anything else — including other methods on
 * these URLs — goes on to express and React Router, whose resource routes answer them.
 */
// The handlers' own signatures (types only: the functions arrive through the server build's entry).
export type FastPathHandlers = {
  handleLineWebhook?: typeof handleLineWebhook;
  handleBookingApi?: typeof handleBookingApi;
  /** TRUST_PROXY's hop count, for the client address (ADR 026). */
  proxyHops?: number;
};

const WEBHOOK = /^\/webhooks\/line\/([^/?#]+)\/?(?:\?.*)?$/;
const BOOKING = /^\/c\/([a-z0-9-]+)\/reserve\/book\/?(?:\?.*)?$/;
// Their route patterns, for the latency metric (ADR 037): the same labels React Router's routes get.
const WEBHOOK_ROUTE = "/webhooks/line/:tenantId";
const BOOKING_ROUTE = "/c/:city/reserve/book";

/** Records the answer's latency once it is sent (also 413s and failures). */
function timed(res: ServerResponse, route: string) {
  const started = performance.now();
  res.once("finish", () => observeRequest(route, "POST", res.statusCode, (performance.now() - started) / 1000));
}

function headersOf(req: IncomingMessage): HeaderSource {
  return {
    get(name) {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(", ") : (v ?? null);
    },
  };
}

// The static security headers (nosniff, HSTS…; app/lib/security-headers.server.ts), computed once by
// the caller: JSON answers need no CSP nonce, and this path does no per-request header work.
type StaticHeaders = Record<string, string>;

function send(res: ServerResponse, status: number, body: string, extra: StaticHeaders) {
  res.writeHead(status, {
    ...extra,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** Reads the whole body, or answers 413 and stops reading once it passes `limit` bytes. */
function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  extra: StaticHeaders,
): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    send(res, 413, JSON.stringify({ message: "payload too large" }), extra);
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        if (!res.headersSent) send(res, 413, JSON.stringify({ message: "payload too large" }), extra);
        req.destroy();
        return resolve(null);
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve(null));
  });
}

function fail(res: ServerResponse, e: unknown, extra: StaticHeaders) {
  // The database away is a 503 with Retry-After, not a failure (ADR 029): LINE redelivers the events.
  if (isDbUnavailable(e)) {
    const r = dbUnavailableJson();
    if (!res.headersSent) send(res, r.status, r.body, { ...extra, ...r.headers });
    return;
  }
  log().error({ error: e instanceof Error ? e.name : "error" }, "fast path failed");
  if (!res.headersSent) send(res, 500, JSON.stringify({ message: "internal error" }), extra);
}

/** Returns true when it took the request. */
export function serveFastPath(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: FastPathHandlers,
  extra: StaticHeaders = {},
): boolean {
  if (req.method !== "POST" || !req.url) return false;
  const webhook = handlers.handleLineWebhook && WEBHOOK.exec(req.url);
  if (webhook) {
    const handle = handlers.handleLineWebhook!;
    timed(res, WEBHOOK_ROUTE);
    void readBody(req, res, 1024 * 1024, extra)
      .then(async (rawBody) => {
        if (!rawBody) return;
        const signature = headersOf(req).get("x-line-signature");
        // A city id is a UUID: no percent-encoding to undo, and an undecodable one is just unknown (404).
        const r = await handle({ tenantId: webhook[1]!, rawBody, signature, method: "POST" });
        send(res, r.status, r.body, extra);
      })
      .catch((e: unknown) => fail(res, e, extra));
    return true;
  }
  const booking = handlers.handleBookingApi && BOOKING.exec(req.url);
  if (booking) {
    const handle = handlers.handleBookingApi!;
    timed(res, BOOKING_ROUTE);
    void readBody(req, res, 16 * 1024, extra)
      .then(async (rawBody) => {
        if (!rawBody) return;
        const headers = headersOf(req);
        const proto =
          (handlers.proxyHops ?? 0) > 0
            ? (headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http")
            : "encrypted" in req.socket
              ? "https"
              : "http";
        const pathname = req.url!.split("?")[0]!;
        const r = await handle({
          citySlug: booking[1]!,
          method: "POST",
          pathname,
          selfOrigin: `${proto}://${headers.get("host") ?? ""}`,
          headers,
          rawBody,
          clientAddress: resolveClientAddress(
            req.socket.remoteAddress,
            req.headers["x-forwarded-for"],
            handlers.proxyHops ?? 0,
          ),
        });
        send(res, r.status, r.body, r.headers ? { ...extra, ...r.headers } : extra);
      })
      .catch((e: unknown) => fail(res, e, extra));
    return true;
  }
  return false;
}
