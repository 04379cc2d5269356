import { and, eq } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { reportEvents, reportFollowers, reportPhotos, reports, tenants } from "#db/schema/index";
import { friendLanguageOf, getFriend } from "~/features/line/friends.server";
import { t } from "~/lib/i18n";
import { textMessage, type Message } from "~/lib/line-messages";
import { isState } from "./categories";

/**
 * What a report's state change tells its people in LINE (issue 17): the reporter and every follower
 * who still follows the city's account, each in their language — the new state, staff's note, and on
 * 完了 the after-photo. LINE fetches an image message's URL itself and accepts only https: with a
 * plain-http origin (development, the emulator) the photo's address goes in the text instead.
 */
export type StatusPush = { lineUserId: string; messages: Message[] };

export function afterPhotoUrl(appOrigin: string, slug: string, token: string, thumb = false) {
  return `${appOrigin}/c/${slug}/report-photos/${token}${thumb ? "?size=thumb" : ""}`;
}

export async function reportStatusPushes(
  tx: Tx,
  tenantId: string,
  eventId: string,
  appOrigin: string,
): Promise<StatusPush[]> {
  const [row] = await tx
    .select({ event: reportEvents, report: reports, slug: tenants.slug })
    .from(reportEvents)
    .innerJoin(reports, eq(reports.id, reportEvents.reportId))
    .innerJoin(tenants, eq(tenants.id, reportEvents.tenantId))
    .where(and(eq(reportEvents.tenantId, tenantId), eq(reportEvents.id, eventId)));
  if (!row) return [];
  const { event, report, slug } = row;
  const followers = await tx
    .select({ lineUserId: reportFollowers.lineUserId })
    .from(reportFollowers)
    .where(and(eq(reportFollowers.tenantId, tenantId), eq(reportFollowers.reportId, report.id)));
  const people = new Set(followers.map((f) => f.lineUserId));
  if (report.reporterLineUserId) people.add(report.reporterLineUserId);
  const [photo] = event.afterPhotoId
    ? await tx
        .select({ token: reportPhotos.publicToken })
        .from(reportPhotos)
        .where(and(eq(reportPhotos.tenantId, tenantId), eq(reportPhotos.id, event.afterPhotoId)))
    : [];
  const out: StatusPush[] = [];
  for (const lineUserId of people) {
    const friend = await getFriend(tx, tenantId, lineUserId);
    if (friend?.status !== "following") continue;
    const lang = await friendLanguageOf(tx, tenantId, lineUserId);
    const state = isState(event.toState) ? t(lang, `reports:state.${event.toState}`) : event.toState;
    const lines = [t(lang, "reports:push.changed", { number: report.number, category: report.category, state })];
    if (event.note) lines.push("", t(lang, "reports:push.note", { note: event.note }));
    const messages: Message[] = [];
    if (photo?.token) {
      const url = afterPhotoUrl(appOrigin, slug, photo.token);
      if (url.startsWith("https://"))
        messages.push(textMessage(lines.join("\n")), {
          type: "image",
          originalContentUrl: url,
          previewImageUrl: afterPhotoUrl(appOrigin, slug, photo.token, true),
        } as Message);
      else messages.push(textMessage([...lines, "", `${t(lang, "reports:push.afterPhoto")}\n${url}`].join("\n")));
    } else messages.push(textMessage(lines.join("\n")));
    out.push({ lineUserId, messages });
  }
  return out;
}
