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
