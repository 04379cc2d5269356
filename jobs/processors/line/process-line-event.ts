import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { lineWebhookEvents, tenants, type LineWebhookEvent } from "#db/schema/index";
import { loadChannelCredentials } from "~/features/line/credentials.server";
import { ensureFriend, recordBlock, recordFollow } from "~/features/line/friends.server";
import { answerText, shelterHook, type KeywordContext } from "~/features/line/keywords.server";
import { lineLog } from "~/features/line/log.server";
import { lineEventSchema } from "~/features/line/webhook-event.schema";
import { greetingMessage } from "~/features/line/survey-messages";
import { askTopics, firstQuestion, handleSurveyPostback, type SurveyCity } from "~/features/line/survey.server";
import {
  createLineClient,
  lineApiConfigFromEnv,
  type LineApiConfig,
  type LineMessage,
} from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import type { JobPayload } from "../../catalogue";

export type LineJobDeps = { db: Db; key: Buffer; appOrigin: string; line?: LineApiConfig };

/** The parts of a LINE webhook event we read; the rest of the stored payload is ignored. */
type EventPayload = {
  type: string;
  mode?: string;
  timestamp?: number;
  replyToken?: string;
  source?: { type?: string; userId?: string };
  message?: { type?: string; text?: string; latitude?: number; longitude?: number; title?: string; address?: string };
  postback?: { data?: string };
};

/**
 * Processes one stored webhook event. Exactly-once for our state: the event row is locked, its
 * effects and `processed_at` commit together, and a repeated job finds it processed. The reply goes
 * out after the commit (never hold a transaction open across the network); reply tokens are
 * single-use and expire within a minute, so a failed reply is logged, not retried forever.
 */
export async function processLineEvent(deps: LineJobDeps, payload: JobPayload<"process-line-event">) {
  const { tenantId, eventId } = payload;
  const log = lineLog();
  const prepared = await withTenant(deps.db, tenantId, async (tx) => {
    const [event] = await tx
      .select()
      .from(lineWebhookEvents)
      .where(and(eq(lineWebhookEvents.tenantId, tenantId), eq(lineWebhookEvents.id, eventId)))
      .for("update");
    if (!event) return { skip: "not-found" as const };
    if (event.processedAt) return { skip: "already-processed" as const };
    // A payload the webhook would refuse today (stored before it checked): settled, never retried.
    if (!lineEventSchema.safeParse(event.payload).success) {
      await tx
        .update(lineWebhookEvents)
        .set({ processedAt: sql`now()`, error: "invalid payload" })
        .where(and(eq(lineWebhookEvents.tenantId, tenantId), eq(lineWebhookEvents.id, eventId)));
      log.info({ tenantId, eventId }, "line event payload failed validation; settled without processing");
      return { skip: "invalid-payload" as const };
    }
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant) return { skip: "not-found" as const };
    const city: SurveyCity & KeywordContext["city"] = {
      tenantId,
      slug: tenant.slug,
      name: tenant.name,
      areas: tenant.areas,
      topics: tenant.topics,
    };
    const messages = await decide(tx, city, event, deps.appOrigin);
    await tx
      .update(lineWebhookEvents)
      .set({ processedAt: sql`now()` })
      .where(and(eq(lineWebhookEvents.tenantId, tenantId), eq(lineWebhookEvents.id, eventId)));
    const replyToken = (event.payload as EventPayload).replyToken;
    if (!messages.length || !replyToken) return { messages: [], replyToken: null, creds: null };
    return { messages, replyToken, creds: await loadChannelCredentials(tx, deps.key, tenantId) };
  });
  if ("skip" in prepared) return prepared.skip;
  if (!prepared.replyToken) return "processed";
  if (!prepared.creds) return "processed-no-channel";

  try {
    const client = createLineClient(prepared.creds, deps.line ?? lineApiConfigFromEnv());
    // LINE accepts at most 5 messages per reply.
    await client.reply(prepared.replyToken, prepared.messages.slice(0, 5));
    return "replied";
  } catch (e) {
    const err = e instanceof LineApiError ? e : null;
    const reason = err ? `reply: ${err.kind}${err.status ? ` (${err.status})` : ""}` : "reply: unexpected error";
    // 400 is almost always an expired or already-used reply token: nothing left to do.
    if (err?.kind === "bad_request")
      log.info({ tenantId, eventId }, "line reply token expired or invalid; no reply sent");
    else log.warn({ tenantId, eventId, reason }, "line reply failed");
    await withTenant(deps.db, tenantId, (tx) =>
      tx
        .update(lineWebhookEvents)
        .set({ error: reason })
        .where(and(eq(lineWebhookEvents.tenantId, tenantId), eq(lineWebhookEvents.id, eventId))),
    );
    return "reply-failed";
  }
}

/** Applies the event to our state and returns the reply (empty: no reply). */
async function decide(
  tx: Tx,
  city: SurveyCity & KeywordContext["city"],
  event: LineWebhookEvent,
  appOrigin: string,
): Promise<LineMessage[]> {
  const p = event.payload as EventPayload;
  const userId = p.source?.type === "user" ? p.source.userId : undefined;
  // Standby events belong to another channel's conversation (module mode); groups are out of scope.
  if (!userId || p.mode === "standby") return [];
  const at = typeof p.timestamp === "number" ? new Date(p.timestamp) : new Date();
  const ctx: KeywordContext = { city, appOrigin, lineUserId: userId };

  switch (p.type) {
    case "follow":
      await recordFollow(tx, city.tenantId, userId, at);
      return [greetingMessage(city.name), firstQuestion()];
    case "unfollow":
      await recordBlock(tx, city.tenantId, userId, at);
      return [];
    case "postback":
      return (await handleSurveyPostback(tx, city, userId, p.postback?.data ?? "")) ?? [];
    case "message": {
      await ensureFriend(tx, city.tenantId, userId);
      if (p.message?.type === "text" && typeof p.message.text === "string") {
        const outcome = await answerText(p.message.text, ctx);
        return outcome.kind === "restart-topics" ? askTopics(tx, city, userId) : outcome.messages;
      }
      if (
        p.message?.type === "location" &&
        typeof p.message.latitude === "number" &&
        typeof p.message.longitude === "number"
      ) {
        return shelterHook(
          {
            latitude: p.message.latitude,
            longitude: p.message.longitude,
            title: p.message.title,
            address: p.message.address,
          },
          ctx,
        );
      }
      return [];
    }
    default:
      // Stored for the record, nothing to do (join, leave, unsend, beacon, …).
      return [];
  }
}
