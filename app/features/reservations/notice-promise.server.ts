import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { reservations } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { getChannelRow } from "~/features/line/credentials.server";
import { getFriend } from "~/features/line/friends.server";

/**
 * Which channel this reservation's notices will use, decided by the same rule the notice and
 * reminder jobs apply at send time (jobs/processors/notice/resident-channel.ts): a LINE push when
 * the booking is linked to a LINE user who still follows the city's account and the city has a
 * channel; else e-mail when an address was given; else none (issue 13.2: promise only that).
 */
export type NoticePromise = { channel: "line" } | { channel: "email"; maskedEmail: string } | { channel: "none" };

export async function noticePromise(db: Db, tenantId: string, confirmationCode: string): Promise<NoticePromise> {
  return withTenant(db, tenantId, async (tx) => {
    const [r] = await tx
      .select({ lineUserId: reservations.lineUserId, email: reservations.contactEmail })
      .from(reservations)
      .where(and(eq(reservations.tenantId, tenantId), eq(reservations.confirmationCode, confirmationCode)));
    if (!r) return { channel: "none" as const };
    if (r.lineUserId) {
      const friend = await getFriend(tx, tenantId, r.lineUserId);
      if (friend?.status === "following" && (await getChannelRow(tx, tenantId))) return { channel: "line" as const };
    }
    if (r.email.trim()) return { channel: "email" as const, maskedEmail: maskEmail(r.email.trim()) };
    return { channel: "none" as const };
  });
}

/**
 * "hanako@example.jp" → "h*****@example.jp": enough for the resident to spot a typo, not enough
 * to read someone's address off a done page that only needs the confirmation code.
 */
export function maskEmail(email: string) {
  const at = email.lastIndexOf("@");
  if (at < 1) return "（入力されたアドレス）";
  const local = email.slice(0, at);
  return `${local[0]}${"*".repeat(Math.max(3, local.length - 1))}${email.slice(at)}`;
}
