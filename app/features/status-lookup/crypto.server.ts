import { timingSafeEqual } from "node:crypto";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { tenantTicketKey, ticketHash } from "~/features/reservations/ticket.server";

/**
 * Keys (申請番号) are stored only as the city's keyed hash, derived like ticket numbers' (HKDF of the
 * master key with the tenant id, then HMAC-SHA-256): the same helpers, so one rotation story. The
 * lookup id is hashed in too, so one number in two lookups of a city gives unrelated hashes.
 */
export function statusKey(tenantId: string): Buffer {
  return tenantTicketKey(masterKey(env().MADOGUCHI_MASTER_KEY), tenantId);
}

export function lookupKeyHash(key: Buffer, lookupId: string, normalisedKey: string): string {
  return ticketHash(key, `status:${lookupId}:${normalisedKey}`);
}

/**
 * The web page's 「メールで知らせる」 form carries the row found a moment ago as a signed token (the
 * row id and an expiry, HMAC'd with the city's key), never the number or the birth date. 30 minutes.
 */
const TOKEN_SECONDS = 30 * 60;

export function optInToken(tenantId: string, rowId: string, now: Date): string {
  const exp = Math.floor(now.getTime() / 1000) + TOKEN_SECONDS;
  return `${rowId}.${exp}.${ticketHash(statusKey(tenantId), `optin:${rowId}:${exp}`)}`;
}

export function openOptInToken(tenantId: string, token: string, now: Date): string | null {
  const [rowId, exp, mac] = token.split(".");
  if (!rowId || !exp || !mac || !/^\d+$/.test(exp)) return null;
  if (Number(exp) < now.getTime() / 1000) return null;
  const expected = ticketHash(statusKey(tenantId), `optin:${rowId}:${exp}`);
  const a = Buffer.from(mac);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? rowId : null;
}
