import type { HeaderSource } from "~/lib/csrf.server";
import { dbUnavailableJson, isDbUnavailable } from "~/lib/db-unavailable.server";
import { submitBooking } from "./booking-door.server";

/**
 * The booking submit as a small JSON endpoint: `POST /c/:city/reserve/book`.
 *
 * The confirm page posts here when JavaScript runs; without JavaScript the same form posts to the
 * page's React Router action — both go through submitBooking (booking-door.server), so the checks,
 * rules, idempotency and notices are one implementation. Why a second door at all: in an opening rush this is the only write residents
 * make, thousands a second, and rendering-framework overhead per request (routing, middleware, the
 * Fetch Request conversion, turbo-stream) cost more than the booking itself (bench/booking.ts). So it
 * is framework-free, and the production server routes it before React Router (server/app.ts); in
 * development a resource route adapts to it. This door only decodes the body and writes the answer
 * as JSON; the checks a page gets from middleware are submitBooking's.
 */
export type BookingApiRequest = {
  citySlug: string;
  method: string;
  pathname: string;
  selfOrigin: string;
  headers: HeaderSource;
  rawBody: Buffer;
  /** From the socket (ADR 026): server/fast-paths.ts, or the resource route's router context. */
  clientAddress: string | null;
};
export type BookingApiAnswer =
  | { ok: true; redirectTo: string; replayed: boolean }
  | { ok: false; reason: string; message: string; redirectTo?: string };

function parseBody(req: BookingApiRequest): Record<string, unknown> | null {
  const type = req.headers.get("content-type") ?? "";
  try {
    const text = req.rawBody.toString("utf8");
    if (type.startsWith("application/json")) return JSON.parse(text) as Record<string, unknown>;
    if (type.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  } catch {
    return null;
  }
  return null;
}

export type BookingApiResponse = { status: number; body: string; headers?: Record<string, string> };

/**
 * With the database away (a restart, a failover) the answer is 503 `{ ok: false, reason: "busy" }`
 * with Retry-After (ADR 029): the confirm page keeps its form and idempotency key for a resend, so a
 * retry books at most once. Nothing was written: the transaction never committed.
 */
export async function handleBookingApi(req: BookingApiRequest): Promise<BookingApiResponse> {
  try {
    const { status, ...body } = await submitBooking({
      citySlug: req.citySlug,
      method: req.method,
      pathname: req.pathname,
      selfOrigin: req.selfOrigin,
      headers: req.headers,
      fields: req.method === "POST" ? parseBody(req) : null,
      ip: req.clientAddress,
    });
    return { status, body: JSON.stringify(body satisfies BookingApiAnswer) };
  } catch (e) {
    if (isDbUnavailable(e)) return dbUnavailableJson();
    throw e;
  }
}
