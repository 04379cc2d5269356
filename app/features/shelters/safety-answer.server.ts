import { and, eq, sql } from "drizzle-orm";
import { safetyAnswers, safetyChecks } from "#db/schema/index";
import type { ConversationContext, Incoming, Reply, Responder } from "~/lib/conversation";
import { t } from "~/lib/i18n";
import { textMessage } from "~/lib/line-messages";

/**
 * A friend's answer to 安否確認 (「無事ですか」): the quick replies are postbacks
 * `safety:<checkId>:<safe|help|skip>`. The last answer counts; the friend's area is copied with it
 * so staff see areas, never names (issue 18.6).
 */
export const SAFETY_POSTBACK = "safety:";
export const SAFETY_ANSWERS = ["safe", "help", "skip"] as const;
export type SafetyAnswer = (typeof SAFETY_ANSWERS)[number];

export const safetyData = (checkId: string, answer: SafetyAnswer) => `${SAFETY_POSTBACK}${checkId}:${answer}`;

export function parseSafetyData(data: string): { checkId: string; answer: SafetyAnswer } | null {
  const m = /^safety:([0-9a-f-]{36}):(safe|help|skip)$/i.exec(data);
  return m ? { checkId: m[1]!.toLowerCase(), answer: m[2] as SafetyAnswer } : null;
}

export const safetyResponder: Responder = {
  name: "safety",
  async respond(input: Incoming, ctx: ConversationContext): Promise<Reply | null> {
    if (input.kind !== "postback" || !input.data.startsWith(SAFETY_POSTBACK)) return null;
    const parsed = parseSafetyData(input.data);
    const tenantId = ctx.city.tenantId;
    const [check] = parsed
      ? await ctx.tx
          .select({ id: safetyChecks.id })
          .from(safetyChecks)
          .where(and(eq(safetyChecks.tenantId, tenantId), eq(safetyChecks.id, parsed.checkId)))
      : [];
    if (!parsed || !check) return { messages: [textMessage(t(ctx.lang, "shelters:safety.unknown"))] };
    await ctx.tx
      .insert(safetyAnswers)
      .values({
        tenantId,
        checkId: check.id,
        lineUserId: ctx.lineUserId,
        area: ctx.area,
        answer: parsed.answer,
        answeredAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: [safetyAnswers.checkId, safetyAnswers.lineUserId],
        set: { answer: sql`excluded.answer`, area: sql`excluded.area`, answeredAt: sql`excluded.answered_at` },
      });
    return { messages: [textMessage(t(ctx.lang, `shelters:safety.thanks.${parsed.answer}`))] };
  },
};
