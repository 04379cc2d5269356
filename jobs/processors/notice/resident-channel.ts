import { and, eq } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { onReservationService, onReservationSlot } from "#db/joins";
import { reservations, services, slots, tenants, venues } from "#db/schema/index";
import { loadChannelCredentials, type ChannelCredentials } from "~/features/line/credentials.server";
import { getFriend } from "~/features/line/friends.server";
import { friendLanguage } from "~/features/line/survey.server";
import { resolveLanguage } from "~/lib/i18n";
import { lineLog } from "~/features/line/log.server";
import {
  createLineClient,
  lineApiConfigFromEnv,
  retryKeyFrom,
  type LineApiConfig,
  type LineMessage,
} from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";

/**
 * What every message to a resident about a reservation shares (notices and reminders): the facts
 * of the reservation, and the channel decided at send time — a LINE push when the reservation is
 * linked to a LINE user who still follows the city's account and the city has a channel; otherwise
 * e-mail when there is an address; otherwise nobody can be reached and staff phone (call list).
 * The done page promises by the same rule (app/features/reservations/notice-promise.server.ts, ADR
 * 032): change both together.
 */

/** The reservation with its slot, venue, service and city. `lock: "share"` holds the row against a concurrent change or cancel until the caller's transaction ends. */
export async function loadReservationFacts(
  tx: Tx,
  tenantId: string,
  reservationId: string,
  opts: { lock?: "share" } = {},
) {
  const query = tx
    .select({ r: reservations, slot: slots, venue: venues, service: services, tenant: tenants })
    .from(reservations)
    .innerJoin(slots, onReservationSlot)
    .innerJoin(venues, and(eq(venues.tenantId, reservations.tenantId), eq(venues.id, slots.venueId)))
    .innerJoin(services, onReservationService)
    .innerJoin(tenants, eq(tenants.id, reservations.tenantId))
    .where(and(eq(reservations.tenantId, tenantId), eq(reservations.id, reservationId)));
  const [row] = opts.lock === "share" ? await query.for("share", { of: reservations }) : await query;
  return row ?? null;
}

export type ReservationFacts = NonNullable<Awaited<ReturnType<typeof loadReservationFacts>>>;

/**
 * The city's channel credentials when a LINE push can reach this reservation's resident, with the
 * language to write in — the friend's (ADR 039/045: chosen in the survey or 受信設定, else the LINE
 * profile's, else Japanese); else null.
 */
export async function lineRouteFor(
  tx: Tx,
  key: Buffer,
  tenantId: string,
  lineUserId: string | null,
): Promise<{ creds: ChannelCredentials; lineUserId: string; language: string } | null> {
  if (!lineUserId) return null;
  // LINE only when all three hold: linked, still a following friend, and the city's channel is set up.
  const friend = await getFriend(tx, tenantId, lineUserId);
  if (friend?.status !== "following") return null;
  const creds = await loadChannelCredentials(tx, key, tenantId);
  return creds ? { creds, lineUserId, language: friendLanguage(friend) } : null;
}

/**
 * The language of an e-mail about a reservation (ADR 045): the one the resident booked in, while we
 * ship it; Japanese for phone bookings, rows from before languages, and a language since removed.
 */
export const mailLanguage = (r: { language: string }) => resolveLanguage(r.language);

/** Whether an e-mail can carry it: a blank address reaches nobody. */
export const hasEmail = (contactEmail: string) => contactEmail.trim() !== "";

/**
 * One push to one resident, carrying X-Line-Retry-Key = retryKeyFrom(seed): if a run dies after LINE
 * accepted the push but before our ledger row, the next run's push is answered 409 by LINE
 * ("already accepted") instead of reaching the resident twice. Throttling, outages and timeouts
 * throw (the job is retried with the same key); a permanent refusal (token revoked, user
 * unreachable, monthly quota) answers "refused" so the caller falls back to e-mail or the call list.
 */
export async function pushToResident(
  line: LineApiConfig | undefined,
  route: { creds: ChannelCredentials; lineUserId: string },
  messages: LineMessage[],
  opts: { seed: string; log: Record<string, unknown> },
): Promise<"sent" | "refused"> {
  try {
    const client = createLineClient(route.creds, line ?? lineApiConfigFromEnv());
    await client.push(route.lineUserId, messages, { retryKey: retryKeyFrom(opts.seed) });
    return "sent";
  } catch (e) {
    if (!(e instanceof LineApiError) || e.retryable) throw e;
    lineLog().warn({ ...opts.log, kind: e.kind, status: e.status }, "LINE push refused; falling back");
    return "refused";
  }
}
