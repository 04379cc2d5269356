import type { Db } from "#db/client.server";
import { tenants } from "#db/schema/index";
import { purgeExpiredDialogs } from "~/features/conversation/dialog-store.server";
import { purgeUnanswered } from "~/features/faq/admin.server";
import { purgeAbandonedPhotos } from "~/features/reports/reports.server";

/**
 * The daily purge of 未回答 questions, expired dialogs and the photos of report dialogs never sent,
 * city by city under RLS (an adapter).
 */
export async function purgeConversation(deps: { db: Db }, opts: { now?: Date; unansweredDays?: number } = {}) {
  const all = await deps.db.select({ id: tenants.id }).from(tenants);
  let unanswered = 0;
  let dialogs = 0;
  let photos = 0;
  for (const t of all) {
    unanswered += await purgeUnanswered(deps.db, t.id, opts.unansweredDays, opts.now);
    dialogs += await purgeExpiredDialogs(deps.db, t.id, opts.now);
    photos += await purgeAbandonedPhotos(deps.db, t.id, opts.now);
  }
  return { unanswered, dialogs, photos };
}
