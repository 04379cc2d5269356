import { getDb } from "#db/client.server";
import { ja } from "~/lib/i18n/messages";
import { isCrossSite, type HeaderSource } from "~/lib/csrf.server";
import { env } from "~/lib/env.server";
import { i18n, REFERENCE_LANGUAGE, resolveLanguage } from "~/lib/i18n";
import { negotiateLanguage } from "~/lib/i18n/preferences.server";
import { readJsonCookie } from "~/lib/cookies.server";
import { residentClosure, resolveTenantBySlug } from "~/tenants/resolve.server";
import { bookFromFlow, readFlow } from "./resident-flow.server";
import { confirmBookingSchema } from "./resident-flow.schemas";
import { refreshAdmission } from "./waiting-room.server";

/**
 * The one guard behind both doors of the booking submit (ADR 036): the JSON endpoint the confirm page
 * posts to when JavaScript runs (booking-api.server, served by server/fast-paths.ts before React
 * Router), and the confirm page's own action (without JavaScript). Each door only decodes its body and
 * shapes the answer; every check — method, same-origin (CSRF), city resolved and open to residents,
 * a live flow cookie with contact details (which also keeps the waiting room's admission alive,
 * ADR 025), valid input — and the booking itself happen here, in this order, for both.
 */
export type BookingDoorRequest = {
  citySlug: string;
  method: string;
  pathname: string;
  selfOrigin: string;
  headers: HeaderSource;
  /** The submitted fields as the door decoded them; null when the body could not be decoded. */
  fields: Record<string, unknown> | null;
  ip: string | null;
  /**
   * The language of the page the resident booked on (ADR 039): the reservation's e-mails are written
   * in it (ADR 045). Absent (the JSON door, which runs before the middleware): read from the request
   * as the pages' middleware does it — the `lang` cookie, else Accept-Language, else Japanese. An
   * unknown code is stored as Japanese.
   */
  language?: string;
};

async function doorLanguage(req: BookingDoorRequest): Promise<string> {
  if (req.language !== undefined) return resolveLanguage(req.language);
  const cookie = readJsonCookie(req, "lang");
  return (
    i18n.known(typeof cookie === "string" ? cookie : null) ??
    negotiateLanguage(req.headers.get("accept-language")) ??
    REFERENCE_LANGUAGE
  );
}

export type BookingOutcome =
  | { status: 200; ok: true; redirectTo: string; replayed: boolean }
  | { status: number; ok: false; reason: string; message: string; redirectTo?: string };

const refused = (status: number, reason: string, message: string, redirectTo?: string): BookingOutcome =>
  redirectTo ? { status, ok: false, reason, message, redirectTo } : { status, ok: false, reason, message };

export async function submitBooking(req: BookingDoorRequest): Promise<BookingOutcome> {
  if (req.method !== "POST") return refused(405, "method", ja("booking:errors.doorMethod"));
  if (isCrossSite(req, env().APP_ORIGIN)) {
    return refused(403, "cross-site", ja("booking:errors.doorForbidden"));
  }
  const tenant = await resolveTenantBySlug(getDb(), req.citySlug);
  if (!tenant) return refused(404, "no-city", ja("booking:errors.doorNoCity"));
  const closed = residentClosure(tenant);
  if (closed) return refused(503, closed.kind, closed.message);
  const expired = ja("booking:errors.doorExpired");
  const state = readFlow(req, tenant);
  if (!state) return refused(409, "expired", expired, `/c/${tenant.slug}/reserve?expired=1`);
  // Each step keeps the waiting room's admission alive; never awaited, never fails the booking.
  refreshAdmission(req, tenant);
  if (!state.contact) return refused(409, "expired", expired, `/c/${tenant.slug}/reserve/contact`);
  const parsed = confirmBookingSchema.safeParse(req.fields ?? {});
  if (!parsed.success) return refused(400, "invalid", parsed.error.issues[0]!.message);
  const result = await bookFromFlow(getDb(), {
    tenantId: tenant.id,
    state,
    slotId: parsed.data.slot,
    idempotencyKey: parsed.data.idempotencyKey,
    ip: req.ip,
    language: await doorLanguage(req),
  });
  if (!result.ok) return refused(200, result.reason, result.message);
  return {
    status: 200,
    ok: true,
    redirectTo: `/c/${tenant.slug}/reserve/done/${result.reservation.confirmationCode}`,
    replayed: result.replayed,
  };
}
