import type { Db } from "#db/client.server";
import { loadChannelCredentialsFor } from "./credentials.server";

/**
 * Decrypted channel secrets per tenant, kept in memory briefly: the webhook ack must stay well
 * under LINE's 2 s, and an opening-day burst would otherwise decrypt the same row thousands of
 * times a second. "No channel" is cached only a few seconds so a newly configured city answers soon.
 */
const TTL_MS = 60_000;
const MISSING_TTL_MS = 5_000;
const MAX_ENTRIES = 5_000;

type Entry = { secret: string | null; at: number };
const cache = new Map<string, Entry>();

export async function webhookSecret(
  db: Db,
  key: Buffer,
  tenantId: string,
  opts: { now?: number; maxAgeMs?: number } = {},
): Promise<{ secret: string | null; ageMs: number }> {
  const now = opts.now ?? Date.now();
  const hit = cache.get(tenantId);
  const ttl = hit?.secret ? TTL_MS : MISSING_TTL_MS;
  if (hit && now - hit.at < Math.min(ttl, opts.maxAgeMs ?? Infinity))
    return { secret: hit.secret, ageMs: now - hit.at };
  const creds = await loadChannelCredentialsFor(db, key, tenantId);
  const secret = creds?.channelSecret ?? null;
  cache.set(tenantId, { secret, at: now });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return { secret, ageMs: 0 };
}

/** Called after this process saves new credentials; other processes catch up within the TTL. */
export function forgetWebhookSecret(tenantId: string) {
  cache.delete(tenantId);
}
