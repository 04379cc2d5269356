import { createHash, createHmac, hkdfSync } from "node:crypto";
import { ja } from "~/lib/i18n/messages";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reservationLinks, reservations, ticketHolders } from "#db/schema/index";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";
import { hashTicketForTenant } from "./identity.server";

/**
 * 「メールで予約を確認する」(ADR 027): the owner's way past a ticket number that a stranger's
 * wrong guesses have locked. Ticket number + the e-mail address on one of the holder's bookings →
 * a single-use link (30 minutes) through the outbox. The same answer, after at least LINK_MIN_MS,
 * whether or not anything matched. Limits: 3 mails per ticket an hour (no inbox flooding; counted
 * for unknown tickets too), 10 requests per client address an hour.
 */
export const LINK_TTL_MS = 30 * 60 * 1000;
export const LINK_MIN_MS = 300;
// Japanese from the catalogue; the pages show them in the resident's language (ADR 043).
export const LINK_ANSWER = ja("reservation:link.answer");
export const LINK_THROTTLED = ja("reservation:link.throttled");
export const LINK_INVALID = ja("reservation:link.invalid");

let limiters: { byIp: RateLimiterRedis; byTicket: RateLimiterRedis } | undefined;
function getLimiters() {
  if (!limiters) {
    const storeClient = getRedis();
    const p = `${env().REDIS_PREFIX}:rl:reslink`;
    limiters = {
      byIp: new RateLimiterRedis({ storeClient, keyPrefix: `${p}:ip`, points: 10, duration: 3600 }),
      byTicket: new RateLimiterRedis({ storeClient, keyPrefix: `${p}:t`, points: 3, duration: 3600 }),
    };
  }
  return limiters;
}

/** true when allowed; a Redis outage lets the request through (the mail still goes only to the address on file). */
async function consume(limiter: RateLimiterRedis, key: string) {
  try {
    await limiter.consume(key);
    return true;
  } catch (e) {
    return !(e instanceof RateLimiterRes);
  }
}

/** As for password resets (ADR 022): an HMAC of the row's random id, never stored; the row keeps its SHA-256. */
export function accessLinkToken(masterKey: Buffer, linkId: string) {
  const subkey = Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), "madoguchi reservation link token", 32));
  return encodeBase32LowerCaseNoPadding(createHmac("sha256", subkey).update(linkId).digest().subarray(0, 20));
}
const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

export type LinkRequestResult = { ok: true; message: string } | { ok: false; message: string };

export async function requestReservationLink(
  db: Db,
  key: Buffer,
  input: { tenantId: string; ticketNumber: string; email: string; ip: string | null },
  now = new Date(),
): Promise<LinkRequestResult> {
  const started = Date.now();
  const hash = hashTicketForTenant(input.tenantId, input.ticketNumber);
  const l = getLimiters();
  const ipOk = input.ip ? await consume(l.byIp, `${input.tenantId}:${input.ip}`) : true;
  const ticketOk = ipOk ? await consume(l.byTicket, `${input.tenantId}:${hash}`) : false;
  if (ipOk && ticketOk) await issueLink(db, key, { ...input, hash }, now);
  const wait = LINK_MIN_MS - (Date.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  return ipOk ? { ok: true, message: LINK_ANSWER } : { ok: false, message: LINK_THROTTLED };
}

async function issueLink(db: Db, key: Buffer, input: { tenantId: string; hash: string; email: string }, now: Date) {
  const email = input.email.trim().toLowerCase();
  if (!email) return;
  await withTenant(db, input.tenantId, async (tx) => {
    const [booking] = await tx
      .select({ reservationId: reservations.id, ticketHolderId: reservations.ticketHolderId })
      .from(reservations)
      .innerJoin(
        ticketHolders,
        and(eq(ticketHolders.tenantId, reservations.tenantId), eq(ticketHolders.id, reservations.ticketHolderId)),
      )
      .where(
        and(
          eq(reservations.tenantId, input.tenantId),
          eq(ticketHolders.ticketHash, input.hash),
          eq(reservations.status, "booked"),
          sql`lower(${reservations.contactEmail}) = ${email}`,
        ),
      )
      .limit(1);
    if (!booking) return;
    const id = crypto.randomUUID();
    await tx.insert(reservationLinks).values({
      id,
      tenantId: input.tenantId,
      ticketHolderId: booking.ticketHolderId,
      reservationId: booking.reservationId,
      tokenHash: tokenHash(accessLinkToken(key, id)),
      expiresAt: new Date(now.getTime() + LINK_TTL_MS),
      createdAt: now,
    });
    await writeOutbox(tx, input.tenantId, "send-reservation-link", { tenantId: input.tenantId, linkId: id });
  });
}

/** Uses the link once: the ticket holder it opens, or null (unknown, used, expired, another city's). */
export async function openReservationLink(db: Db, tenantId: string, token: string, now = new Date()) {
  if (!TOKEN_SHAPE.test(token)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .update(reservationLinks)
      .set({ usedAt: now })
      .where(
        and(
          eq(reservationLinks.tenantId, tenantId),
          eq(reservationLinks.tokenHash, tokenHash(token)),
          isNull(reservationLinks.usedAt),
          gt(reservationLinks.expiresAt, now),
        ),
      )
      .returning({ ticketHolderId: reservationLinks.ticketHolderId });
    return row?.ticketHolderId ?? null;
  });
}
