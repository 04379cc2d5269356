import { and, arrayContains, arrayOverlaps, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { lineFriends, type LineAgeBand, type LineFriend, type LineGender, type LineSurveyStep } from "#db/schema/index";
import { resolveLanguage } from "~/lib/i18n";

/**
 * LINE friends of a city: the user id plus what they chose to tell us (ADR 008). Every function
 * runs inside the caller's withTenant transaction and is safe to repeat (webhook events are
 * delivered at least once).
 */
const key = (tenantId: string, lineUserId: string) =>
  and(eq(lineFriends.tenantId, tenantId), eq(lineFriends.lineUserId, lineUserId));

export async function getFriend(tx: DbOrTx, tenantId: string, lineUserId: string): Promise<LineFriend | null> {
  const [f] = await tx.select().from(lineFriends).where(key(tenantId, lineUserId));
  return f ?? null;
}

/**
 * The language to write to a friend in (ADR 039), for pushes and reminders: theirs while we ship it,
 * else Japanese (also for a LINE user who is not a friend row).
 */
export async function friendLanguageOf(tx: DbOrTx, tenantId: string, lineUserId: string): Promise<string> {
  const [f] = await tx.select({ language: lineFriends.language }).from(lineFriends).where(key(tenantId, lineUserId));
  return resolveLanguage(f?.language);
}

/**
 * A (re-)follow: following again, block date cleared, survey restarted at its first question (the
 * language). `profileLanguage` (a shipped language matching the LINE app's) is used until the friend
 * chooses; a language chosen before is kept.
 */
export async function recordFollow(
  tx: DbOrTx,
  tenantId: string,
  lineUserId: string,
  at: Date,
  profileLanguage: string | null = null,
): Promise<LineFriend> {
  const [f] = await tx
    .insert(lineFriends)
    .values({
      tenantId,
      lineUserId,
      status: "following",
      followedAt: at,
      surveyStep: "language",
      language: profileLanguage,
    })
    .onConflictDoUpdate({
      target: [lineFriends.tenantId, lineFriends.lineUserId],
      set: {
        status: "following",
        followedAt: at,
        blockedAt: null,
        surveyStep: "language",
        language: sql`coalesce(${lineFriends.language}, excluded.language)`,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return f!;
}

/**
 * A block (unfollow). The row and its attributes stay, so counts by area or age remain right and a
 * returning friend is recognised. A block from someone we never saw follow is recorded too.
 */
export async function recordBlock(tx: DbOrTx, tenantId: string, lineUserId: string, at: Date) {
  await tx
    .insert(lineFriends)
    .values({ tenantId, lineUserId, status: "blocked", blockedAt: at })
    .onConflictDoUpdate({
      target: [lineFriends.tenantId, lineFriends.lineUserId],
      set: { status: "blocked", blockedAt: at, surveyStep: null, updatedAt: sql`now()` },
    });
}

/**
 * The friend who just wrote or tapped: anyone who can message us follows us, even if they added the
 * account before the city connected its webhook (then we never saw the follow event).
 */
export async function ensureFriend(tx: DbOrTx, tenantId: string, lineUserId: string): Promise<LineFriend> {
  const [inserted] = await tx
    .insert(lineFriends)
    .values({ tenantId, lineUserId, status: "following" })
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const [f] = await tx
    .update(lineFriends)
    .set({ status: "following", blockedAt: null, updatedAt: sql`now()` })
    .where(and(key(tenantId, lineUserId), eq(lineFriends.status, "blocked")))
    .returning();
  return f ?? (await getFriend(tx, tenantId, lineUserId))!;
}

export type FriendAnswer =
  | { field: "gender"; value: LineGender }
  | { field: "ageBand"; value: LineAgeBand }
  | { field: "area"; value: string | null }
  | { field: "language"; value: string | null }
  | { field: "surveyStep"; value: LineSurveyStep | null };

export async function updateFriend(
  tx: DbOrTx,
  tenantId: string,
  lineUserId: string,
  answers: FriendAnswer[],
): Promise<LineFriend> {
  const set: Partial<Record<FriendAnswer["field"], unknown>> = {};
  for (const a of answers) set[a.field] = a.value;
  const [f] = await tx
    .update(lineFriends)
    .set({ ...(set as Partial<LineFriend>), updatedAt: sql`now()` })
    .where(key(tenantId, lineUserId))
    .returning();
  return f!;
}

/** Adds or removes one topic atomically (two taps processed in parallel cannot lose one). */
export async function toggleTopic(
  tx: DbOrTx,
  tenantId: string,
  lineUserId: string,
  topicKey: string,
): Promise<LineFriend> {
  const [f] = await tx
    .update(lineFriends)
    .set({
      topics: sql`case when ${topicKey} = any(${lineFriends.topics}) then array_remove(${lineFriends.topics}, ${topicKey}::text) else array_append(${lineFriends.topics}, ${topicKey}::text) end`,
      surveyStep: "topics",
      updatedAt: sql`now()`,
    })
    .where(key(tenantId, lineUserId))
    .returning();
  return f!;
}

export async function friendCounts(tx: DbOrTx, tenantId: string): Promise<{ following: number; blocked: number }> {
  const rows = await tx
    .select({ status: lineFriends.status, n: sql<number>`count(*)::int` })
    .from(lineFriends)
    .where(eq(lineFriends.tenantId, tenantId))
    .groupBy(lineFriends.status);
  return {
    following: rows.find((r) => r.status === "following")?.n ?? 0,
    blocked: rows.find((r) => r.status === "blocked")?.n ?? 0,
  };
}

export type AudienceFilter = {
  topics?: string[];
  areas?: string[];
  genders?: LineGender[];
  ageBands?: LineAgeBand[];
  /** How the criteria that have values combine: all (AND, the default) or any (OR). */
  match?: "all" | "any";
  /** A friend needs any (default) or all of the given topics. */
  topicsMatch?: "any" | "all";
};

/**
 * The SQL condition for following friends of a city matching a filter. Values inside one criterion
 * are alternatives; `match` combines the criteria. Shared by the recipient count and the broadcast
 * snapshot so the number the admin sees is the number that is sent.
 */
export function audienceWhere(tenantId: string, filter: AudienceFilter = {}): SQL {
  const criteria: SQL[] = [];
  if (filter.topics?.length)
    criteria.push(
      filter.topicsMatch === "all"
        ? arrayContains(lineFriends.topics, filter.topics)
        : arrayOverlaps(lineFriends.topics, filter.topics),
    );
  if (filter.areas?.length) criteria.push(inArray(lineFriends.area, filter.areas));
  if (filter.genders?.length) criteria.push(inArray(lineFriends.gender, filter.genders));
  if (filter.ageBands?.length) criteria.push(inArray(lineFriends.ageBand, filter.ageBands));
  const base = [eq(lineFriends.tenantId, tenantId), eq(lineFriends.status, "following")];
  if (criteria.length === 0) return and(...base)!;
  return and(...base, filter.match === "any" ? or(...criteria) : and(...criteria))!;
}

export async function audienceCount(tx: DbOrTx, tenantId: string, filter: AudienceFilter = {}): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(lineFriends)
    .where(audienceWhere(tenantId, filter));
  return row?.n ?? 0;
}

/**
 * LINE user ids of following friends matching the filter, in a stable order for batching into
 * multicasts of 500 (keyset paging).
 */
export async function audienceUserIds(
  tx: DbOrTx,
  tenantId: string,
  filter: AudienceFilter = {},
  page: { afterUserId?: string; limit?: number } = {},
): Promise<string[]> {
  const where: SQL[] = [audienceWhere(tenantId, filter)];
  if (page.afterUserId) where.push(sql`${lineFriends.lineUserId} > ${page.afterUserId}`);
  const rows = await tx
    .select({ id: lineFriends.lineUserId })
    .from(lineFriends)
    .where(and(...where))
    .orderBy(lineFriends.lineUserId)
    .limit(page.limit ?? 500);
  return rows.map((r) => r.id);
}

export type FriendPreferences = {
  /** Omitted: left as it is (erasure keeps the language, which only says how to talk to them). */
  language?: string | null;
  gender: LineGender | null;
  ageBand: LineAgeBand | null;
  area: string | null;
  topics: string[];
};

/**
 * The 受信設定 page (LIFF): the friend replaces all four answers at once. Only an existing friend row
 * is updated (a LINE user who never added the account has nothing to set); null when there is none.
 * The survey stops: the answers are now the friend's own choice.
 */
export async function saveFriendPreferences(
  tx: DbOrTx,
  tenantId: string,
  lineUserId: string,
  prefs: FriendPreferences,
): Promise<LineFriend | null> {
  const [f] = await tx
    .update(lineFriends)
    .set({
      ...(prefs.language !== undefined ? { language: prefs.language } : {}),
      gender: prefs.gender,
      ageBand: prefs.ageBand,
      area: prefs.area,
      topics: [...new Set(prefs.topics)],
      surveyStep: null,
      updatedAt: sql`now()`,
    })
    .where(key(tenantId, lineUserId))
    .returning();
  return f ?? null;
}

/**
 * Erasure at the friend's request: what they told us (gender, age band, area, topics) is cleared,
 * while the row itself stays — it is what makes pushes to them possible and keeps follow/block
 * history (ADR 008); blocking the account is how a resident stops all messages.
 */
export async function eraseFriendPreferences(
  tx: DbOrTx,
  tenantId: string,
  lineUserId: string,
): Promise<LineFriend | null> {
  return saveFriendPreferences(tx, tenantId, lineUserId, { gender: null, ageBand: null, area: null, topics: [] });
}
