import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { lineFriends, safetyAnswers, safetyChecks } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { loadChannelCredentials } from "~/features/line/credentials.server";
import {
  createLineClient,
  lineApiConfigFromEnv,
  MULTICAST_MAX_RECIPIENTS,
  retryKeyFrom,
  type LineApiConfig,
} from "~/integrations/line/client.server";
import { t } from "~/lib/i18n";
import { postbackAction, textMessage } from "~/lib/line-messages";
import { SAFETY_ANSWERS, safetyData } from "./safety-answer.server";
import { kAnonymous } from "./safety-counts";

/**
 * 安否確認 (issue 18.6): in disaster mode the city asks the following friends of chosen areas
 * 「無事ですか」 with three quick replies, in each friend's language; staff see counts by area (k-anonymous,
 * safety-counts.ts) and the 支援が必要 answers with their area only. Each 500-friend
 * multicast carries a retry key derived from the check and chunk, so a retried send is not sent twice.
 */
export type SafetyDeps = { db: Db; key: Buffer; config?: LineApiConfig };

export async function startSafetyCheck(
  deps: SafetyDeps,
  city: { id: string; name: string; areas: readonly string[] },
  areas: readonly string[],
  actor: { staffUserId: string; ip?: string | null },
): Promise<{ ok: true; checkId: string; recipients: number } | { ok: false; message: string }> {
  const chosen = areas.filter((a) => city.areas.includes(a));
  if (chosen.length === 0) return { ok: false, message: "地区を1つ以上選んでください。" };
  const prepared = await withTenant(deps.db, city.id, async (tx) => {
    const creds = await loadChannelCredentials(tx, deps.key, city.id);
    if (!creds) return null;
    const friends = await tx
      .select({ lineUserId: lineFriends.lineUserId, language: lineFriends.language })
      .from(lineFriends)
      .where(
        and(
          eq(lineFriends.tenantId, city.id),
          eq(lineFriends.status, "following"),
          inArray(lineFriends.area, [...chosen]),
        ),
      )
      .orderBy(asc(lineFriends.lineUserId));
    const [check] = await tx
      .insert(safetyChecks)
      .values({ tenantId: city.id, areas: [...chosen], recipients: friends.length, createdBy: actor.staffUserId })
      .returning({ id: safetyChecks.id });
    await recordAudit(tx, {
      tenantId: city.id,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "safety.start",
      targetType: "safety_check",
      targetId: check!.id,
      detail: { areas: chosen, recipients: friends.length },
      ip: actor.ip,
    });
    return { creds, friends, checkId: check!.id };
  });
  if (!prepared) return { ok: false, message: "LINEの設定がまだないため、安否確認を送れません。" };
  const client = createLineClient(prepared.creds, deps.config ?? lineApiConfigFromEnv());
  const byLang = new Map<string, string[]>();
  for (const f of prepared.friends) {
    const lang = f.language ?? "ja";
    byLang.set(lang, [...(byLang.get(lang) ?? []), f.lineUserId]);
  }
  for (const [lang, ids] of byLang) {
    const message = textMessage(
      t(lang, "shelters:safety.question", { city: city.name }),
      SAFETY_ANSWERS.map((a) =>
        postbackAction(
          t(lang, `shelters:safety.${a}`),
          safetyData(prepared.checkId, a),
          t(lang, `shelters:safety.${a}`),
        ),
      ),
    );
    for (let i = 0; i < ids.length; i += MULTICAST_MAX_RECIPIENTS)
      await client.multicast(ids.slice(i, i + MULTICAST_MAX_RECIPIENTS), [message], {
        retryKey: retryKeyFrom(`safety:${prepared.checkId}:${lang}:${i}`),
      });
  }
  return { ok: true, checkId: prepared.checkId, recipients: prepared.friends.length };
}

export type SafetySummary = {
  id: string;
  createdAt: Date;
  recipients: number;
  areas: { area: string; safe: string; help: string; skip: string; unanswered: string }[];
  help: { area: string | null; answeredAt: Date }[];
};

export async function safetySummary(db: Db, tenantId: string, checkId: string): Promise<SafetySummary | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [check] = await tx
      .select()
      .from(safetyChecks)
      .where(and(eq(safetyChecks.tenantId, tenantId), eq(safetyChecks.id, checkId)));
    if (!check) return null;
    const counts = await tx
      .select({ area: safetyAnswers.area, answer: safetyAnswers.answer, n: count() })
      .from(safetyAnswers)
      .where(eq(safetyAnswers.checkId, checkId))
      .groupBy(safetyAnswers.area, safetyAnswers.answer);
    const asked = await tx
      .select({ area: lineFriends.area, n: count() })
      .from(lineFriends)
      .where(
        and(
          eq(lineFriends.tenantId, tenantId),
          eq(lineFriends.status, "following"),
          inArray(lineFriends.area, check.areas),
        ),
      )
      .groupBy(lineFriends.area);
    const of = (area: string, answer: string) => counts.find((c) => c.area === area && c.answer === answer)?.n ?? 0;
    const help = await tx
      .select({ area: safetyAnswers.area, answeredAt: safetyAnswers.answeredAt })
      .from(safetyAnswers)
      .where(and(eq(safetyAnswers.checkId, checkId), eq(safetyAnswers.answer, "help")))
      .orderBy(asc(safetyAnswers.answeredAt));
    return {
      id: check.id,
      createdAt: check.createdAt,
      recipients: check.recipients,
      areas: check.areas.map((area) => {
        const answered = of(area, "safe") + of(area, "help") + of(area, "skip");
        const total = asked.find((a) => a.area === area)?.n ?? 0;
        return {
          area,
          safe: kAnonymous(of(area, "safe")),
          help: kAnonymous(of(area, "help")),
          skip: kAnonymous(of(area, "skip")),
          unanswered: kAnonymous(Math.max(0, total - answered)),
        };
      }),
      help,
    };
  });
}

export async function latestSafetyCheck(db: Db, tenantId: string) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ id: safetyChecks.id })
      .from(safetyChecks)
      .where(eq(safetyChecks.tenantId, tenantId))
      .orderBy(desc(safetyChecks.createdAt))
      .limit(1);
    return row?.id ?? null;
  });
}
