import { z } from "zod";
import type { Db } from "#db/client.server";
import type { Tenant } from "#db/schema/index";
import { getChannelRow } from "~/features/line/credentials.server";
import { withTenant } from "#db/with-tenant.server";
import { verifyIdToken } from "~/integrations/line/id-token.server";
import type { RetryPolicy } from "~/integrations/line/retry.server";
import { decryptString, encryptString, masterKey } from "~/lib/crypto.server";
import { COOKIES, readCookie, setCookie } from "~/lib/cookies.server";
import { env } from "~/lib/env.server";

/**
 * A resident's LINE identity on the city's pages (LIFF). The browser sends LIFF's ID token; the
 * server has LINE verify it (POST /oauth2/v2.1/verify, audience = the city's LINE Login channel) and
 * keeps only the verified user id, in an encrypted HttpOnly cookie. Nothing the browser says about
 * the user (a profile, a user id) is ever trusted: LIFF's getProfile() is forgeable, the signed
 * token checked by LINE is not.
 *
 * Cookie `mdg_line`: AES-256-GCM with the tenant id in the associated data (a cookie from one city
 * never opens in another), path `/c/<city>/` (sent with React Router's `.data` requests too),
 * SameSite=Lax, Secure on https, 2 hours — the expiry is inside the payload as well, so a copied old
 * value is useless.
 */

export const LINE_COOKIE = COOKIES.lineIdentity.name;
export const LINE_IDENTITY_TTL_SECONDS = 2 * 60 * 60;

const identitySchema = z.object({ lineUserId: z.string().regex(/^U[0-9a-f]{32}$/), exp: z.number() });
export type LineIdentity = { lineUserId: string };

const ad = (tenant: Pick<Tenant, "id">) => `line:${tenant.id}`;
const key = () => masterKey(env().MADOGUCHI_MASTER_KEY);

/** The verified LINE user of this request in this city, or null (no cookie, expired, other city, tampered). */
export function getLineIdentity(request: Request, tenant: Pick<Tenant, "id">, now = new Date()): LineIdentity | null {
  const raw = readCookie(request, "lineIdentity");
  if (!raw) return null;
  try {
    const parsed = identitySchema.safeParse(JSON.parse(decryptString(key(), raw, ad(tenant))));
    return parsed.success && parsed.data.exp > now.getTime() ? { lineUserId: parsed.data.lineUserId } : null;
  } catch {
    return null;
  }
}

function cookieHeader(tenant: Pick<Tenant, "slug">, value: string, maxAge: number) {
  return setCookie("lineIdentity", value, maxAge, { citySlug: tenant.slug });
}

export function lineIdentityCookie(tenant: Pick<Tenant, "id" | "slug">, identity: LineIdentity, now = new Date()) {
  const payload = JSON.stringify({
    lineUserId: identity.lineUserId,
    exp: now.getTime() + LINE_IDENTITY_TTL_SECONDS * 1000,
  });
  return cookieHeader(tenant, encryptString(key(), payload, ad(tenant)), LINE_IDENTITY_TTL_SECONDS);
}

export const clearLineIdentityCookie = (tenant: Pick<Tenant, "slug">) => cookieHeader(tenant, "", 0);

/** What the LIFF boot needs: the city's LIFF id, null when the city has no LIFF app (then the SDK is never loaded). */
export async function liffIdOf(db: Db, tenantId: string): Promise<string | null> {
  const row = await withTenant(db, tenantId, (tx) => getChannelRow(tx, tenantId));
  return row?.liffId && row.loginChannelId ? row.liffId : null;
}

export type LiffVerifyResult =
  { ok: true; identity: LineIdentity } | { ok: false; reason: "no-liff" | "invalid" | "unavailable" };

/** An interactive request must not wait out the worker's long back-off: one retry, short timeouts. */
const INTERACTIVE_RETRY: Partial<RetryPolicy> = { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 500, timeoutMs: 5_000 };

/**
 * Verifies a LIFF ID token at LINE for this city: the audience must be the city's own LINE Login
 * channel, so a token issued for another city's LIFF app (or any other LINE app) is refused.
 * "unavailable" = LINE did not answer (network, 5xx), which is not the resident's fault.
 */
export async function verifyLiffIdToken(
  db: Db,
  tenant: Pick<Tenant, "id">,
  idToken: string,
  opts: { apiBase?: string; retry?: Partial<RetryPolicy> } = {},
): Promise<LiffVerifyResult> {
  const row = await withTenant(db, tenant.id, (tx) => getChannelRow(tx, tenant.id));
  if (!row?.loginChannelId) return { ok: false, reason: "no-liff" };
  try {
    const r = await verifyIdToken(idToken, row.loginChannelId, {
      apiBase: opts.apiBase ?? env().LINE_API_BASE,
      retry: { ...INTERACTIVE_RETRY, ...opts.retry },
    });
    if (!r.ok || !identitySchema.shape.lineUserId.safeParse(r.lineUserId).success)
      return { ok: false, reason: "invalid" };
    return { ok: true, identity: { lineUserId: r.lineUserId } };
  } catch {
    return { ok: false, reason: "unavailable" };
  }
}
