import { and, desc, eq } from "drizzle-orm";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reservations, slots, ticketHolders, venues } from "#db/schema/index";
import { onReservationSlot, onSlotVenue } from "#db/joins";
import { recordAudit } from "~/features/audit/audit.server";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";

/**
 * Finding a caller who does not have the ticket at hand: by the name they gave on an earlier
 * booking and their birth date (ADR 040). Holders carry no name, so only callers who booked
 * before can be found this way. The birth date narrows the rows in the database (tenant + birth
 * date index), the name is compared here after normalising both sides.
 */

export const NAME_NOT_FOUND =
  "お名前と生年月日が一致する予約が見つかりません。接種券番号がわかる場合は番号で検索してください。";
export const NAME_THROTTLED =
  "短時間に検索が続いたため、しばらく名前での検索を止めています。15分ほどおいてから、または接種券番号で検索してください。";

/**
 * One spelling for what a caller says: NFKC (full-width letters and digits, half-width kana),
 * no spaces of any width, katakana as hiragana ("ヤマモト＋全角空白＋ハナ" = "やまもと はな"), lower case.
 */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKC")
    .replace(/[\s・･]/g, "")
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .toLowerCase();
}

// 20 name searches per staff member in 15 minutes: a busy line serves perhaps one caller a minute,
// while someone trawling the roster by name needs many more. Insurance limiter: Redis down neither
// blocks the phone line nor lifts the limit (same pattern as the resident ticket check).
const POINTS = 20;
const DURATION = 15 * 60;
let limiter: RateLimiterRedis | undefined;
function getLimiter() {
  if (!limiter) {
    const keyPrefix = `${env().REDIS_PREFIX}:rl:phone-name`;
    limiter = new RateLimiterRedis({
      storeClient: getRedis(),
      keyPrefix,
      points: POINTS,
      duration: DURATION,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: POINTS, duration: DURATION }),
    });
  }
  return limiter;
}

export type NameMatch = {
  holderId: string;
  /** The latest booking, for confirming by voice: masked contact, no full numbers. */
  contactName: string;
  phoneLast4: string;
  codeLast4: string;
  venueName: string;
  startsAt: Date;
  status: "booked" | "cancelled" | "attended" | "no_show";
};

export type NameSearchResult =
  { ok: true; matches: NameMatch[] } | { ok: false; reason: "none" | "throttled"; message: string };

const last4 = (v: string) => v.replace(/\D/g, "").slice(-4);

export async function searchHoldersByName(
  db: Db,
  input: { tenantId: string; name: string; birthDate: string; staffUserId: string; ip?: string | null },
): Promise<NameSearchResult> {
  const allowed = await getLimiter()
    .consume(`${input.tenantId}:${input.staffUserId}`)
    .then(() => true)
    // A rejection with RateLimiterRes means "over the limit"; an Error means the store failed.
    .catch((e: unknown) => e instanceof Error);
  const wanted = normaliseName(input.name);
  return withTenant(db, input.tenantId, async (tx) => {
    const matches: NameMatch[] = [];
    if (allowed) {
      const rows = await tx
        .select({
          holderId: ticketHolders.id,
          contactName: reservations.contactName,
          contactPhone: reservations.contactPhone,
          code: reservations.confirmationCode,
          venueName: venues.name,
          startsAt: slots.startsAt,
          status: reservations.status,
        })
        .from(ticketHolders)
        .innerJoin(
          reservations,
          and(eq(reservations.tenantId, ticketHolders.tenantId), eq(reservations.ticketHolderId, ticketHolders.id)),
        )
        .innerJoin(slots, onReservationSlot)
        .innerJoin(venues, onSlotVenue)
        .where(and(eq(ticketHolders.tenantId, input.tenantId), eq(ticketHolders.birthDate, input.birthDate)))
        .orderBy(desc(reservations.createdAt));
      const seen = new Set<string>();
      for (const r of rows) {
        if (seen.has(r.holderId) || normaliseName(r.contactName) !== wanted) continue;
        seen.add(r.holderId);
        matches.push({
          holderId: r.holderId,
          contactName: r.contactName,
          phoneLast4: last4(r.contactPhone),
          codeLast4: r.code.slice(-4),
          venueName: r.venueName,
          startsAt: r.startsAt,
          status: r.status,
        });
      }
    }
    // Like the ticket lookup: who searched, from where, and how many matched; the name itself is
    // personal data and stays out of the log.
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.staffUserId,
      action: "reservation.holder.search_name",
      detail: { matches: matches.length, throttled: !allowed },
      ip: input.ip,
    });
    if (!allowed) return { ok: false as const, reason: "throttled" as const, message: NAME_THROTTLED };
    return matches.length
      ? { ok: true as const, matches }
      : { ok: false as const, reason: "none" as const, message: NAME_NOT_FOUND };
  });
}
