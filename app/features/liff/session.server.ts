import { RateLimiterRedis } from "rate-limiter-flexible";
import type { Db } from "#db/client.server";
import type { Tenant } from "#db/schema/index";
import type { RetryPolicy } from "~/integrations/line/retry.server";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";
import { getLineIdentity, liffIdOf, lineIdentityCookie, verifyLiffIdToken } from "./identity.server";

/**
 * POST /c/<city>/liff/session {idToken}: the LIFF page hands over LINE's ID token, the server has
 * LINE verify it and sets `mdg_line`. A framework-free function of (request, tenant) so the tests
 * drive exactly what the route runs.
 *
 * Rate limits per client address (Redis, shared by every web process). Mobile carriers put many
 * residents behind one address (CGNAT), so the budgets are generous and only failures spend the
 * tight one: 30 refused tokens in 10 minutes, and 300 attempts a minute in all (each attempt costs a
 * call to LINE). When Redis is down the attempt goes through: LINE's verify is the real gate.
 */

export const LIFF_MESSAGES = {
  invalid: "LINEでの本人確認ができませんでした。お手数ですが、LINEアプリからページを開き直してください。",
  throttled: "確認の試行回数が多すぎるため、しばらく受け付けを停止しています。時間をおいてからお試しください。",
  unavailable:
    "LINEとの通信に失敗しました。時間をおいてからもう一度お試しください。予約はLINEとの連携なしでも行えます。",
  noLiff: "この自治体のページは、LINEでの本人確認に対応していません。",
  badRequest: "リクエストの形式が正しくありません。",
} as const;

/** LIFF ID tokens are a few hundred bytes to ~2 KB; anything much larger is not one. */
const MAX_BODY_BYTES = 8 * 1024;

let limiters: { failures: RateLimiterRedis; attempts: RateLimiterRedis } | undefined;
function getLimiters() {
  if (!limiters) {
    const storeClient = getRedis();
    const p = `${env().REDIS_PREFIX}:rl:liff`;
    limiters = {
      failures: new RateLimiterRedis({ storeClient, keyPrefix: `${p}:fail`, points: 30, duration: 600 }),
      attempts: new RateLimiterRedis({ storeClient, keyPrefix: `${p}:all`, points: 300, duration: 60 }),
    };
  }
  return limiters;
}

async function throttled(tenantId: string, ip: string | null): Promise<boolean> {
  // No address only when a test calls the code directly (ADR 026): no shared "unknown" bucket.
  if (!ip) return false;
  const k = `${tenantId}:${ip}`;
  try {
    const l = getLimiters();
    const failures = await l.failures.get(k);
    if (failures && failures.remainingPoints <= 0) return true;
    await l.attempts.consume(k);
    return false;
  } catch (e) {
    // A rejection from consume() is a RateLimiterRes (out of points); anything else is a store error.
    return e !== null && typeof e === "object" && "msBeforeNext" in e;
  }
}

const json = (status: number, body: object, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });

async function readIdToken(request: Request): Promise<string | null> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return null;
  try {
    const body = JSON.parse(text) as { idToken?: unknown };
    return typeof body.idToken === "string" && body.idToken.length > 0 && body.idToken.length < MAX_BODY_BYTES
      ? body.idToken
      : null;
  } catch {
    return null;
  }
}

export type LiffSessionDeps = { db: Db; ip: string | null; line?: { apiBase?: string; retry?: Partial<RetryPolicy> } };

export async function handleLiffSession(
  request: Request,
  tenant: Pick<Tenant, "id" | "slug">,
  deps: LiffSessionDeps,
): Promise<Response> {
  if (request.method !== "POST")
    return json(405, { ok: false, message: LIFF_MESSAGES.badRequest }, { Allow: "GET, POST" });
  const idToken = await readIdToken(request);
  if (!idToken) return json(400, { ok: false, message: LIFF_MESSAGES.badRequest });
  if (await throttled(tenant.id, deps.ip))
    return json(429, { ok: false, message: LIFF_MESSAGES.throttled }, { "Retry-After": "600" });
  const result = await verifyLiffIdToken(deps.db, tenant, idToken, deps.line);
  if (result.ok) return json(200, { ok: true }, { "Set-Cookie": lineIdentityCookie(tenant, result.identity) });
  if (result.reason === "no-liff") return json(404, { ok: false, message: LIFF_MESSAGES.noLiff });
  if (result.reason === "unavailable") return json(503, { ok: false, message: LIFF_MESSAGES.unavailable });
  await getLimiters()
    .failures.penalty(`${tenant.id}:${deps.ip}`)
    .catch(() => {});
  return json(401, { ok: false, message: LIFF_MESSAGES.invalid });
}

/** GET: what the page's LIFF boot needs. `identified` lets it skip the SDK when the cookie is already set. */
export async function liffBootInfo(request: Request, tenant: Pick<Tenant, "id">, db: Db) {
  return {
    liffId: await liffIdOf(db, tenant.id),
    identified: getLineIdentity(request, tenant) !== null,
    // The mock SDK (@line/liff-mock) may only be switched on by the dev tools, never in production.
    devTools: env().DEV_TOOLS === "1",
  };
}
