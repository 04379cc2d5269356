import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { lineWebhookEvents } from "#db/schema/index";
import {
  createLineClient,
  interactiveLineConfig,
  lineApiConfigFromEnv,
  type LineApiConfig,
} from "~/integrations/line/client.server";
import { matchLanguage } from "~/lib/i18n";
import { loadChannelCredentials } from "./credentials.server";
import { lineLog } from "./log.server";

/**
 * For a follow event not yet processed: the shipped language matching the new friend's LINE app
 * (GET /v2/bot/profile, language only), used for the greeting and the first question until they
 * choose (ADR 039). Read before the event's transaction, which must not wait on the network. Any
 * failure is null (Japanese): a greeting must not wait for or fail on a profile look-up.
 */
export async function followerLanguage(
  db: Db,
  key: Buffer,
  tenantId: string,
  eventId: string,
  line?: LineApiConfig,
): Promise<string | null> {
  const found = await withTenant(db, tenantId, async (tx) => {
    const [e] = await tx
      .select({
        type: lineWebhookEvents.type,
        userId: lineWebhookEvents.lineUserId,
        done: lineWebhookEvents.processedAt,
      })
      .from(lineWebhookEvents)
      .where(and(eq(lineWebhookEvents.tenantId, tenantId), eq(lineWebhookEvents.id, eventId)));
    if (!e || e.type !== "follow" || e.done || !e.userId) return null;
    const creds = await loadChannelCredentials(tx, key, tenantId);
    return creds ? { creds, userId: e.userId } : null;
  });
  if (!found) return null;
  try {
    const client = createLineClient(found.creds, interactiveLineConfig(line ?? lineApiConfigFromEnv()));
    const tag = await client.getProfileLanguage(found.userId);
    return tag ? matchLanguage([tag]) : null;
  } catch (e) {
    lineLog().info(
      { tenantId, eventId, err: e instanceof Error ? e.name : "error" },
      "line profile language unavailable",
    );
    return null;
  }
}
