import { isRouteErrorResponse } from "react-router";
import { log } from "./log.server";
import {
  DB_UNAVAILABLE_MESSAGE,
  DB_UNAVAILABLE_RETRY_AFTER_SECONDS,
  DB_UNAVAILABLE_TITLE,
  dbUnavailableData,
} from "./db-unavailable";

/**
 * "The database is away" as one answer (ADR 029): while PostgreSQL restarts or fails over, a page
 * answers 503 with 「ただいま混み合っています」 and Retry-After, the booking endpoint a 503 JSON its
 * page script shows with the form kept; nothing is a 500, and nothing is half-written (each request's
 * transaction simply never committed). The pool reconnects on its own once PostgreSQL accepts
 * connections again, so there is no state to reset here: every request tries the database afresh.
 *
 * Hooks: app/entry.server.tsx (pages and data requests), server/fast-paths.ts (framework-free
 * paths), booking-api.server.ts (the booking JSON). Only connection-level failures count; a query
 * error (a constraint, a bad statement) stays a bug and a 500.
 */

// postgres.js connection errors (connection.js / errors.js) and the socket errors under them.
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
// SQLSTATEs of a server going away or not yet back: admin_shutdown, crash_shutdown,
// cannot_connect_now (starting up / shutting down / in recovery), too_many_connections; class 08
// (connection exception).
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);

/** True when `e` (or what it wraps: drizzle's DrizzleQueryError, an AggregateError) is "no database". */
export function isDbUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== "object" || depth > 4) return false;
  const code = (e as { code?: unknown }).code;
  if (
    typeof code === "string" &&
    (CONNECTION_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))
  )
    return true;
  if (e instanceof AggregateError && e.errors.some((x) => isDbUnavailable(x, depth + 1))) return true;
  return isDbUnavailable((e as { cause?: unknown }).cause, depth + 1);
}

export const retryAfterHeader = () => ({ "Retry-After": String(DB_UNAVAILABLE_RETRY_AFTER_SECONDS) });

/** Thrown for a route boundary to show (app/root.tsx and c.$city.tsx test it with `isDbUnavailableError`). */
export function dbUnavailableResponse() {
  return new Response(JSON.stringify(dbUnavailableData()), {
    status: 503,
    headers: { "content-type": "application/json; charset=utf-8", ...retryAfterHeader() },
  });
}

/** The Response handleRequest throws (React Router passes it to handleError too: not an error to log). */
export const isDbUnavailableResponse = (e: unknown) =>
  e instanceof Response && e.status === 503 && e.headers.has("Retry-After");

/** For a framework-free JSON endpoint: status, body and headers of the 503 answer. */
export function dbUnavailableJson(extra: Record<string, unknown> = {}) {
  return {
    status: 503,
    body: JSON.stringify({ ok: false, ...dbUnavailableData(), ...extra }),
    headers: retryAfterHeader(),
  };
}

// Requests whose loaders, actions or middleware met "no database": noted by entry.server's
// handleError (which runs before the page is rendered), answered as 503 by its handleRequest.
const seen = new WeakMap<Request, "noted" | "answered">();

/** Called from handleError: remembers the request and logs one line (no stack) instead of a trace. */
export function noteDbUnavailable(error: unknown, request: Request): boolean {
  const inner = isRouteErrorResponse(error) ? (error as { error?: unknown }).error : error;
  if (!isDbUnavailable(inner)) return false;
  if (!seen.has(request)) {
    seen.set(request, "noted");
    const code =
      (inner as { code?: string; cause?: { code?: string } }).cause?.code ?? (inner as { code?: string }).code;
    log().warn({ code }, "database unavailable: answered 503");
  }
  return true;
}

/**
 * For entry.server's handleRequest. "throw": the first render met the outage; throw the 503
 * Response so React Router renders again with it at the boundary (the page and its hydration data
 * then agree). "headers": that second render; add Retry-After. null: nothing to do.
 */
export function dbUnavailableStep(request: Request): "throw" | "headers" | null {
  const state = seen.get(request);
  if (state === "noted") {
    seen.set(request, "answered");
    return "throw";
  }
  return state === "answered" ? "headers" : null;
}

/**
 * For entry.server's handleDataRequest: a data request (client navigation, form submit with
 * JavaScript) that met the outage answers the 503 JSON. Without React Router's X-Remix-Response
 * header the browser's router turns it into a 503 error response for the boundary, which shows the
 * same page as a full load would.
 */
export function dbUnavailableDataResponse(request: Request, response: Response): Response {
  if (!seen.has(request)) return response;
  return dbUnavailableResponse();
}

/**
 * For the root middleware: the other routes — resource routes (CSV exports, the .ics, broadcast
 * images, the LIFF session, the rich-menu preview…) have no boundary, so React Router answers their
 * failure with a bare 500. `response` is what the route gave: a 500 for a request noted above (its
 * loader or action met the outage) becomes the 503; `thrown` is an error a middleware under the root
 * raised (the city's, resolving the tenant). HTML for a browser's page load (an export link), the
 * 503 JSON otherwise. Returns null when it is not the database.
 */
export function dbUnavailableResourceAnswer(request: Request, got: { response: Response } | { thrown: unknown }) {
  if ("response" in got) {
    if (got.response.status !== 500 || seen.get(request) !== "noted") return null;
  } else if (!noteDbUnavailable(got.thrown, request)) return null;
  seen.set(request, "answered");
  const wantsPage = request.method === "GET" && /\btext\/html\b/.test(request.headers.get("accept") ?? "");
  if (!wantsPage) return dbUnavailableResponse();
  return new Response(busyHtml, {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...retryAfterHeader() },
  });
}

// A standalone page (no script, no asset): an export or image link opened while the database is away.
const busyHtml = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${DB_UNAVAILABLE_TITLE} | 窓口 Madoguchi</title></head>
<body><main id="main"><h1>${DB_UNAVAILABLE_TITLE}</h1><p>${DB_UNAVAILABLE_MESSAGE}</p>
<p><a href="/">トップページへ</a></p></main></body></html>`;
