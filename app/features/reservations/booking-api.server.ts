import { getDb } from "#db/client.server";
import { isCrossSite, type HeaderSource } from "~/lib/csrf.server";
import { env } from "~/lib/env.server";
import { residentClosure, resolveTenantBySlug } from "~/tenants/resolve.server";
import { bookFromFlow, readFlow } from "./resident-flow.server";
import { confirmBookingSchema } from "./resident-flow.schemas";

/**
 * The booking submit as a small JSON endpoint: `POST /c/:city/reserve/book`.
 *
 * The confirm page posts here when JavaScript runs; without JavaScript the same form posts to the
 * page's React Router action — both end in bookFromFlow, so rules, idempotency and notices are one
 * implementation. Why a second door at all: in an opening rush this is the only write residents
 * make, thousands a second, and rendering-framework overhead per request (routing, middleware, the
 * Fetch Request conversion, turbo-stream) cost more than the booking itself (bench/booking.ts). So it
 * is framework-free, and the production server routes it before React Router (server/app.ts); in
 * development a resource route adapts to it. The checks a page gets from middleware are done here:
 * same-origin (CSRF), city resolved and open to residents, a valid flow cookie.
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

const answer = (status: number, body: BookingApiAnswer) => ({ status, body: JSON.stringify(body) });

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

export async function handleBookingApi(req: BookingApiRequest): Promise<{ status: number; body: string }> {
  if (req.method !== "POST")
    return answer(405, { ok: false, reason: "method", message: "このURLは予約の送信専用です。" });
  if (isCrossSite(req, env().APP_ORIGIN)) {
    return answer(403, {
      ok: false,
      reason: "cross-site",
      message: "このリクエストは受け付けられません。ページを再読み込みしてからやり直してください。",
    });
  }
  const tenant = await resolveTenantBySlug(getDb(), req.citySlug);
  if (!tenant) return answer(404, { ok: false, reason: "no-city", message: "お探しの自治体は見つかりませんでした。" });
  const closed = residentClosure(tenant);
  if (closed) return answer(503, { ok: false, reason: closed.kind, message: closed.message });
  const state = readFlow(req, tenant);
  if (!state?.contact) {
    return answer(409, {
      ok: false,
      reason: "expired",
      message: "入力の有効期限が切れました。お手数ですが、最初からやり直してください。",
      redirectTo: `/c/${tenant.slug}/reserve?expired=1`,
    });
  }
  const parsed = confirmBookingSchema.safeParse(parseBody(req) ?? {});
  if (!parsed.success) return answer(400, { ok: false, reason: "invalid", message: parsed.error.issues[0]!.message });
  const result = await bookFromFlow(getDb(), {
    tenantId: tenant.id,
    state,
    slotId: parsed.data.slot,
    idempotencyKey: parsed.data.idempotencyKey,
    ip: req.clientAddress,
  });
  if (!result.ok) return answer(200, { ok: false, reason: result.reason, message: result.message });
  return answer(200, {
    ok: true,
    redirectTo: `/c/${tenant.slug}/reserve/done/${result.reservation.confirmationCode}`,
    replayed: result.replayed,
  });
}
