import { eq } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { tenants, type LineWebhookEvent } from "#db/schema/index";
import type { LineMessage } from "~/integrations/line/client.server";
import { converse } from "~/features/conversation/engine.server";
import { readCityContact, type CityContact } from "~/lib/city-contact";
import type { ContentFetcher, Incoming } from "~/lib/conversation";
import { getChannelRow } from "./credentials.server";
import { ensureFriend, recordBlock, recordFollow } from "./friends.server";
import { greetingMessage } from "./survey-messages";
import { firstQuestion, friendLanguage, type SurveyCity } from "./survey.server";

/**
 * The domain side of one LINE webhook event (issue 14.6): what it changes in our state and what
 * the account answers. The worker's processor is the adapter around it (locking the stored event,
 * marking it processed, sending the reply after the commit).
 */

/** The parts of a LINE webhook event we read; the rest of the stored payload is ignored. */
export type LineEventPayload = {
  type: string;
  mode?: string;
  timestamp?: number;
  replyToken?: string;
  source?: { type?: string; userId?: string };
  message?: {
    id?: string;
    type?: string;
    text?: string;
    latitude?: number;
    longitude?: number;
    title?: string;
    address?: string;
  };
  postback?: { data?: string; params?: Record<string, string> };
};

export type LineEventCity = SurveyCity & {
  slug: string;
  name: string;
  contact: CityContact | null;
  liffId: string | null;
};

/** The event as the conversation engine reads it; null for what it does not answer (stickers, files…). */
export function incomingOf(p: LineEventPayload): Incoming | null {
  if (p.type === "postback") {
    const params = p.postback?.params;
    return { kind: "postback", data: p.postback?.data ?? "", ...(params ? { params } : {}) };
  }
  const m = p.message;
  if (p.type !== "message" || !m) return null;
  if (m.type === "text" && typeof m.text === "string")
    return { kind: "text", text: m.text, normalised: m.text.normalize("NFKC").trim() };
  if (m.type === "location" && typeof m.latitude === "number" && typeof m.longitude === "number")
    return { kind: "location", latitude: m.latitude, longitude: m.longitude, title: m.title, address: m.address };
  if (m.type === "image" && typeof m.id === "string") return { kind: "image", messageId: m.id };
  return null;
}

/** The city as the replies need it: survey lists, 問い合わせ窓口 and the LIFF id for links. Null = gone. */
export async function lineEventCity(tx: Tx, tenantId: string): Promise<LineEventCity | null> {
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) return null;
  const channel = await getChannelRow(tx, tenantId);
  return {
    tenantId,
    slug: tenant.slug,
    name: tenant.name,
    areas: tenant.areas,
    topics: tenant.topics,
    contact: readCityContact(tenant.contact),
    // Links open as LIFF pages only when the LIFF app can verify the resident (a login channel too).
    liffId: channel?.liffId && channel.loginChannelId ? channel.liffId : null,
  };
}

/** Applies the event to our state and returns the reply (empty: no reply). */
export async function decideLineEvent(
  tx: Tx,
  city: LineEventCity,
  event: LineWebhookEvent,
  appOrigin: string,
  /** The LINE app's language of a new follower (looked up before the transaction), for the greeting. */
  profileLanguage: string | null = null,
  /** Reads images the friend sent (report photos); given by the worker, which holds the credentials. */
  fetchContent?: ContentFetcher,
): Promise<LineMessage[]> {
  const p = event.payload as LineEventPayload;
  const userId = p.source?.type === "user" ? p.source.userId : undefined;
  // Standby events belong to another channel's conversation (module mode); groups are out of scope.
  if (!userId || p.mode === "standby") return [];
  const at = typeof p.timestamp === "number" ? new Date(p.timestamp) : new Date();

  switch (p.type) {
    case "follow": {
      const lang = friendLanguage(await recordFollow(tx, city.tenantId, userId, at, profileLanguage));
      return [greetingMessage(lang, city.name), firstQuestion(lang)];
    }
    case "unfollow":
      await recordBlock(tx, city.tenantId, userId, at);
      return [];
    case "postback":
    case "message": {
      const input = incomingOf(p);
      if (!input) {
        await ensureFriend(tx, city.tenantId, userId);
        return [];
      }
      return converse(tx, city, userId, input, { appOrigin, now: new Date(), fetchContent });
    }
    default:
      // Stored for the record, nothing to do (join, leave, unsend, beacon, …).
      return [];
  }
}
