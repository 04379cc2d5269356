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
import type { ContentFetcher } from "~/lib/conversation";
import type { JobPayload } from "../../catalogue";

export type LineJobDeps = { db: Db; key: Buffer; appOrigin: string; line?: LineApiConfig; now?: () => number };

/**
 * LINE's reply tokens are single-use and valid for about a minute after the event (not documented
 * exactly): a reply is tried while the event is under 50 s old, a push after that (issue 16).
 */
export const REPLY_TOKEN_MS = 50_000;
const replyTokenUsable = (sentAt: number, now: number) => now - sentAt < REPLY_TOKEN_MS;

/**
 * Processes one stored webhook event. Exactly-once for our state: the event row is locked, its
 * effects and `processed_at` commit together, and a repeated job finds it processed. The reply goes
 * out after the commit (never hold a transaction open across the network): by the reply token while
 * it is fresh, by push otherwise; a failed send is logged on the event, not retried forever.
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
    // Images (report photos) are read from LINE's data API inside the step that takes them: bounded
    // by size and the client's timeout (ADR 054), and only when a dialog asks for them.
    const fetchContent: ContentFetcher = async (messageId, maxBytes) => {
      const creds = await loadChannelCredentials(tx, deps.key, tenantId);
      if (!creds) return null;
      return createLineClient(creds, deps.line ?? lineApiConfigFromEnv()).getMessageContent(messageId, maxBytes);
    };
    const messages = await decideLineEvent(tx, city, event, deps.appOrigin, profileLanguage, fetchContent);
    await tx
      .update(lineWebhookEvents)
      .set({ processedAt: sql`now()` })
      .where(and(eq(lineWebhookEvents.tenantId, tenantId), eq(lineWebhookEvents.id, eventId)));
    const p = event.payload as LineEventPayload;
    const to = p.source?.type === "user" ? (p.source.userId ?? null) : null;
    if (!messages.length || !to) return { messages: [], to: null, replyToken: null, creds: null };
    const sentAt = typeof p.timestamp === "number" ? p.timestamp : event.receivedAt.getTime();
    const replyToken = p.replyToken && replyTokenUsable(sentAt, deps.now?.() ?? Date.now()) ? p.replyToken : null;
    return { messages, to, replyToken, creds: await loadChannelCredentials(tx, deps.key, tenantId) };
  });
  if ("skip" in prepared) return prepared.skip;
  if (!prepared.to) return "processed";
  if (!prepared.creds) return "processed-no-channel";

  const client = createLineClient(prepared.creds, deps.line ?? lineApiConfigFromEnv());
  // LINE accepts at most 5 messages per reply or push.
  const messages = prepared.messages.slice(0, 5);
  // A push carries the event's id as its retry key: a retried job never sends it twice.
  const push = async () => (await client.push(prepared.to, messages, { retryKey: eventId }), "pushed" as const);
  try {
    if (!prepared.replyToken) return await push();
    await client.reply(prepared.replyToken, messages);
    return "replied";
  } catch (e) {
    const err = e instanceof LineApiError ? e : null;
    const how = prepared.replyToken ? "reply" : "push";
    const reason = err ? `${how}: ${err.kind}${err.status ? ` (${err.status})` : ""}` : `${how}: unexpected error`;
    // A 400 on a reply is an expired or used token. Never followed by a push: a reply whose response
    // was lost (then retried into a 400) may well have been delivered.
    if (err?.kind === "bad_request")
      log.info({ tenantId, eventId }, "line reply token expired or invalid; no reply sent");
    else log.warn({ tenantId, eventId, reason }, "line send failed");
    await withTenant(deps.db, tenantId, (tx) =>
      tx
        .update(lineWebhookEvents)
        .set({ error: reason })
        .where(and(eq(lineWebhookEvents.tenantId, tenantId), eq(lineWebhookEvents.id, eventId))),
    );
    return "reply-failed";
  }
}
