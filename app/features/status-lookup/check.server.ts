import { and, eq, isNull, sql } from "drizzle-orm";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import {
  statusLookupDaily,
  statusLookupRows,
  statusLookups,
  statusSubscriptions,
  type StatusLookup,
} from "#db/schema/index";
import { env } from "~/lib/env.server";
import { formatDateFor } from "~/lib/i18n/dates";
import { t } from "~/lib/i18n";
import { tokyoDateOf } from "~/lib/japan-time";
import { getRedis } from "~/lib/redis.server";
import { isUuid } from "~/features/services/services.server";
import { lookupKeyHash, statusKey } from "./crypto.server";
import { keyMatches, lookupPhase, normaliseKey, statusText } from "./keys";

/**
 * A resident's check (issue 19), shared by the web page and the LINE dialog. A wrong key and a wrong
 * birth date take the same path (hash, one indexed read, the same penalty) and get the same answer.
 * Failure budgets are the ticket check's (ADR 026/027): per key 100 an hour, per address 30 in 10
 * minutes, per city 3,000 a minute; only failures count, so a stranger guessing someone's number can
 * hold up that number's online check for at most the hour — never the owner's LINE opt-in already
 * made, nor the phone line.
 */
function limiter(keyPrefix: string, points: number, duration: number) {
  return new RateLimiterRedis({
    storeClient: getRedis(),
    keyPrefix,
    points,
    duration,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
  });
}
let limiters: { key: RateLimiterRedis; ip: RateLimiterRedis; city: RateLimiterRedis } | undefined;
function getLimiters() {
  if (!limiters) {
    const p = `${env().REDIS_PREFIX}:rl:status`;
    limiters = {
      key: limiter(`${p}:k`, 100, 3600),
      ip: limiter(`${p}:ip`, 30, 600),
      city: limiter(`${p}:city`, 3000, 60),
    };
  }
  return limiters;
}
const exhausted = async (l: RateLimiterRedis, key: string) => {
  const r = await l.get(key).catch(() => null);
  return r !== null && r.remainingPoints <= 0;
};

export type PublicLookup = Pick<
  StatusLookup,
  "id" | "title" | "keyLabel" | "note" | "opensOn" | "closesOn" | "contact"
> & {
  phase: "before" | "open" | "closed";
};

export type CheckResult =
  | { kind: "found"; rowId: string; label: string; text: string }
  | { kind: "notFound" | "throttled" | "closed" | "notOpen" | "unknownLookup" };

const toPublic = (l: StatusLookup, today: string): PublicLookup => ({
  id: l.id,
  title: l.title,
  keyLabel: l.keyLabel,
  note: l.note,
  opensOn: l.opensOn,
  closesOn: l.closesOn,
  contact: l.contact,
  phase: lookupPhase(l, today),
});

async function loadLookup(tx: Tx, tenantId: string, lookupId: string) {
  if (!isUuid(lookupId)) return null;
  const [l] = await tx
    .select()
    .from(statusLookups)
    .where(and(eq(statusLookups.tenantId, tenantId), eq(statusLookups.id, lookupId), isNull(statusLookups.purgedAt)));
  return l ?? null;
}

/** The city's lookups residents can see: open ones, and those opening soon or closed (they say so). */
export async function publicLookupsIn(tx: Tx, tenantId: string, now: Date): Promise<PublicLookup[]> {
  const rows = await tx
    .select()
    .from(statusLookups)
    .where(and(eq(statusLookups.tenantId, tenantId), isNull(statusLookups.purgedAt)))
    .orderBy(statusLookups.opensOn);
  return rows.map((l) => toPublic(l, tokyoDateOf(now)));
}

export const publicLookups = (db: Db, tenantId: string, now: Date) =>
  withTenant(db, tenantId, (tx) => publicLookupsIn(tx, tenantId, now));

export async function publicLookup(db: Db, tenantId: string, lookupId: string, now: Date) {
  return withTenant(db, tenantId, async (tx) => {
    const l = await loadLookup(tx, tenantId, lookupId);
    return l ? toPublic(l, tokyoDateOf(now)) : null;
  });
}

/** The check itself, inside the caller's tenant transaction (LINE's event, or the web's own). */
export async function checkStatusIn(
  tx: Tx,
  input: {
    tenantId: string;
    lookupId: string;
    key: string;
    birthDate: string | null;
    ip: string | null;
    lang: string;
    now: Date;
  },
): Promise<CheckResult> {
  const lookup = await loadLookup(tx, input.tenantId, input.lookupId);
  if (!lookup) return { kind: "unknownLookup" };
  const today = tokyoDateOf(input.now);
  const phase = lookupPhase(lookup, today);
  if (phase === "before") return { kind: "notOpen" };
  if (phase === "closed") return { kind: "closed" };
  const normalised = normaliseKey(input.key);
  // Hash even a malformed key, so every path costs the same.
  const hash = lookupKeyHash(statusKey(input.tenantId), lookup.id, normalised);
  const l = getLimiters();
  const keyBucket = `${input.tenantId}:${hash}`;
  // No address only when a test or the LINE dialog calls (LINE's user id is then the bucket).
  const ipBucket = input.ip ? `${input.tenantId}:${input.ip}` : null;
  const blocked = (
    await Promise.all([
      exhausted(l.key, keyBucket),
      ipBucket ? exhausted(l.ip, ipBucket) : false,
      exhausted(l.city, input.tenantId),
    ])
  ).some(Boolean);
  if (blocked) return { kind: "throttled" };
  const [row] = await tx
    .select()
    .from(statusLookupRows)
    .where(and(eq(statusLookupRows.lookupId, lookup.id), eq(statusLookupRows.keyHash, hash)));
  const found = !!row && keyMatches(lookup.keyPattern, normalised) && row.birthDate === input.birthDate;
  await tx
    .insert(statusLookupDaily)
    .values({
      tenantId: input.tenantId,
      lookupId: lookup.id,
      day: today,
      found: found ? 1 : 0,
      notFound: found ? 0 : 1,
    })
    .onConflictDoUpdate({
      target: [statusLookupDaily.lookupId, statusLookupDaily.day],
      set: {
        found: sql`${statusLookupDaily.found} + ${found ? 1 : 0}`,
        notFound: sql`${statusLookupDaily.notFound} + ${found ? 0 : 1}`,
      },
    });
  if (!found || !row) {
    await Promise.allSettled([
      l.key.penalty(keyBucket),
      ipBucket ? l.ip.penalty(ipBucket) : null,
      l.city.penalty(input.tenantId),
    ]);
    return { kind: "notFound" };
  }
  const status = lookup.statuses.find((s) => s.code === row.status);
  if (!status) return { kind: "notFound" };
  const dateText = row.statusDate ? formatDateFor(input.lang, row.statusDate) : null;
  return { kind: "found", rowId: row.id, label: status.label, text: statusText(status, dateText) };
}

export function checkStatus(db: Db, input: Parameters<typeof checkStatusIn>[1]) {
  return withTenant(db, input.tenantId, (tx) => checkStatusIn(tx, input));
}

/**
 * 「変わったら知らせて」 for a row found by a check a moment ago (the LINE dialog keeps its id in the
 * dialog's state; the web form carries it signed). Idempotent: a second opt-in changes nothing.
 */
export async function subscribeIn(
  tx: Tx,
  input: { tenantId: string; rowId: string; lang: string } & ({ lineUserId: string } | { email: string }),
) {
  const who = "lineUserId" in input ? { lineUserId: input.lineUserId } : { email: input.email.trim().toLowerCase() };
  await tx
    .insert(statusSubscriptions)
    .values({ tenantId: input.tenantId, rowId: input.rowId, lang: input.lang, ...who })
    .onConflictDoNothing();
}

/** The catalogue key and values of a result: the web renders it (with ruby), LINE gets it as text. */
export function resultKey(r: CheckResult, lookup: { title: string }): { key: string; vars?: Record<string, string> } {
  switch (r.kind) {
    case "found":
      return { key: "status:result.found", vars: { title: lookup.title, label: r.label, text: r.text } };
    case "notFound":
      return { key: "status:result.notFound" };
    case "throttled":
      return { key: "status:result.throttled" };
    case "closed":
      return { key: "status:result.closed", vars: { title: lookup.title } };
    case "notOpen":
      return { key: "status:result.notOpen", vars: { title: lookup.title } };
    case "unknownLookup":
      return { key: "status:result.unknown" };
  }
}

export function resultMessage(lang: string, r: CheckResult, lookup: { title: string }): string {
  const { key, vars } = resultKey(r, lookup);
  return t(lang, key, vars);
}
