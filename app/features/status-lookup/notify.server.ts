import { and, eq, isNull, ne, or } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { statusChanges, statusLookupRows, statusLookups, statusSubscriptions, tenants } from "#db/schema/index";
import { loadChannelCredentials } from "~/features/line/credentials.server";
import { getFriend } from "~/features/line/friends.server";
import {
  createLineClient,
  lineApiConfigFromEnv,
  retryKeyFrom,
  type LineApiConfig,
} from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import type { Mailer } from "~/integrations/mail.server";
import { formatDateFor } from "~/lib/i18n/dates";
import { t } from "~/lib/i18n";
import { tokyoDateOf } from "~/lib/japan-time";
import { textMessage } from "~/lib/line-messages";
import { lookupPhase, statusText } from "./keys";

/**
 * 「状況が変わりました」 for one status change (issue 19): each subscriber of the row is told once.
 * Per subscriber, in its own transaction: the subscription is locked and skipped when it has already
 * been told of this change (`last_change_id`), the message is sent, then the mark is written — a
 * crash between LINE accepting and our commit is answered by LINE's retry key (derived from the
 * subscription and the change) on the retried job, so the push still arrives once. Nothing is sent
 * once the lookup has closed (the opt-in ends with it), nor to a friend who blocked the account.
 */
export type NoticeDeps = { db: Db; key: Buffer; mailer: Mailer; line?: LineApiConfig; appOrigin: string };

export async function sendStatusNotice(
  deps: NoticeDeps,
  input: { tenantId: string; changeId: string },
  now = new Date(),
) {
  const { tenantId, changeId } = input;
  const facts = await withTenant(deps.db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ change: statusChanges, row: statusLookupRows, lookup: statusLookups, city: tenants.name })
      .from(statusChanges)
      .innerJoin(statusLookupRows, eq(statusLookupRows.id, statusChanges.rowId))
      .innerJoin(statusLookups, eq(statusLookups.id, statusLookupRows.lookupId))
      .innerJoin(tenants, eq(tenants.id, statusChanges.tenantId))
      .where(and(eq(statusChanges.tenantId, tenantId), eq(statusChanges.id, changeId)));
    if (!row) return null;
    const subs = await tx
      .select({ id: statusSubscriptions.id })
      .from(statusSubscriptions)
      .where(
        and(
          eq(statusSubscriptions.rowId, row.row.id),
          or(isNull(statusSubscriptions.lastChangeId), ne(statusSubscriptions.lastChangeId, changeId)),
        ),
      );
    return { ...row, subs };
  });
  if (!facts) return "not-found";
  if (lookupPhase(facts.lookup, tokyoDateOf(now)) === "closed") return "closed";
  const status = facts.lookup.statuses.find((s) => s.code === facts.change.toStatus);
  if (!status) return "no-status";
  let sent = 0;
  for (const { id } of facts.subs) {
    const done = await withTenant(deps.db, tenantId, async (tx) => {
      const [sub] = await tx
        .select()
        .from(statusSubscriptions)
        .where(and(eq(statusSubscriptions.tenantId, tenantId), eq(statusSubscriptions.id, id)))
        .for("update");
      if (!sub || sub.lastChangeId === changeId) return false;
      const lang = sub.lang;
      // The status as the row has it now: a later change's notice tells the later text.
      const date = facts.change.toStatus === facts.row.status ? facts.row.statusDate : null;
      const body = t(lang, "status:notice.changed", {
        title: facts.lookup.title,
        label: status.label,
        text: statusText(status, date ? formatDateFor(lang, date) : null),
      });
      let delivered = false;
      if (sub.lineUserId) {
        const friend = await getFriend(tx, tenantId, sub.lineUserId);
        const creds = friend?.status === "following" ? await loadChannelCredentials(tx, deps.key, tenantId) : null;
        if (creds) {
          try {
            await createLineClient(creds, deps.line ?? lineApiConfigFromEnv()).push(
              sub.lineUserId,
              [textMessage(body)],
              {
                retryKey: retryKeyFrom(`status:${sub.id}:${changeId}`),
              },
            );
            delivered = true;
          } catch (e) {
            // A permanent refusal (blocked meanwhile, token revoked) is final; anything else is retried.
            if (!(e instanceof LineApiError) || e.retryable) throw e;
          }
        }
      } else if (sub.email) {
        const subject = t(lang, "status:notice.subject", { city: facts.city, title: facts.lookup.title });
        await deps.mailer.send({ to: sub.email, subject, text: body });
        delivered = true;
      }
      await tx.update(statusSubscriptions).set({ lastChangeId: changeId }).where(eq(statusSubscriptions.id, sub.id));
      return delivered;
    });
    if (done) sent++;
  }
  return `sent ${sent}`;
}
