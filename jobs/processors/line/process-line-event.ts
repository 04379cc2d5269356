import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { lineWebhookEvents } from "#db/schema/index";
import { loadChannelCredentials } from "~/features/line/credentials.server";
import { decideLineEvent, lineEventCity, type LineEventPayload } from "~/features/line/events.server";
import { lineLog } from "~/features/line/log.server";
import { followerLanguage } from "~/features/line/profile-language.server";
import { lineEventSchema } from "~/features/line/webhook-event.schema";
import { createLineClient, lineApiConfigFromEnv, type LineApiConfig } from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import type { JobPayload } from "../../catalogue";

export type LineJobDeps = { db: Db; key: Buffer; appOrigin: string; line?: LineApiConfig };

/**
 * Processes one stored webhook event. Exactly-once for our state: the event row is locked, its
 * effects and `processed_at` commit together, and a repeated job finds it processed. The reply goes
 * out after the commit (never hold a transaction open across the network); reply tokens are
 * single-use and expire within a minute, so a failed reply is logged, not retried forever.
 */
export async function processLineEvent(deps: LineJobDeps, payload: JobPayload<"process-line-event">) {
  const { tenantId, eventId } = payload;
  const log = lineLog();
  // A follow greets in the LINE app's language: looked up before the transaction (network).
  const profileLanguage = await followerLanguage(deps.db, deps.key, tenantId, eventId, deps.line);
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
    const city = await lineEventCity(tx, tenantId);
    if (!city) return { skip: "not-found" as const };
    const messages = await decideLineEvent(tx, city, event, deps.appOrigin, profileLanguage);
    await tx
      .update(lineWebhookEvents)
      .set({ processedAt: sql`now()` })
      .where(and(eq(lineWebhookEvents.tenantId, tenantId), eq(lineWebhookEvents.id, eventId)));
    const replyToken = (event.payload as LineEventPayload).replyToken;
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
