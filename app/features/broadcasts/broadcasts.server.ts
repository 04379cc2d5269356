import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import {
  broadcastRuns,
  broadcasts,
  lineFriends,
  type Broadcast,
  type BroadcastContent,
  type BroadcastRun,
  type BroadcastSegment,
} from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { audienceCount, audienceWhere } from "~/features/line/friends.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import type { ComposedDraft, ComposeErrors } from "./compose";
import { storeMedia, type CheckedMedia } from "./media.server";
import { nextRunAfter } from "./recurrence";
import { segmentFilter } from "./run.server";
import { readPage, toPage, type Paged, type PageRequest } from "~/lib/paging";
import { LANGUAGES, resolveLanguage } from "~/lib/i18n";

/** The admin side of broadcasts: the recipient count, compose and queue, cancel, and what the pages show. */
export type Actor = { staffUserId: string; ip: string | null };

export async function countRecipients(db: Db, tenantId: string, segment: BroadcastSegment): Promise<number> {
  return withTenant(db, tenantId, (tx) => audienceCount(tx, tenantId, segmentFilter(segment)));
}

/**
 * The same audience counted per language (ADR 046), every shipped language listed (0 included), so
 * the composer can say how many will read each version. A friend without a language, or with one we
 * no longer ship, counts as Japanese — that is what they receive.
 */
export async function countRecipientsByLanguage(
  db: Db,
  tenantId: string,
  segment: BroadcastSegment,
): Promise<{ total: number; byLanguage: Record<string, number> }> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ language: lineFriends.language, n: sql<number>`count(*)::int` })
      .from(lineFriends)
      .where(audienceWhere(tenantId, segmentFilter(segment)))
      .groupBy(lineFriends.language),
  );
  const byLanguage = Object.fromEntries(LANGUAGES.map((l) => [l.code, 0]));
  for (const r of rows) byLanguage[resolveLanguage(r.language)]! += r.n;
  return { total: rows.reduce((a, r) => a + r.n, 0), byLanguage };
}

export type CreateResult = { ok: true; id: string } | { ok: false; errors: ComposeErrors };
export type Upload = { data: Uint8Array; checked: Extract<CheckedMedia, { ok: true }> };

/**
 * Stores a composed broadcast and, for "send now", its first run and the outbox row that starts it —
 * all in one transaction, so a refused or failed submit queues nothing. A segment matching nobody is
 * refused (nothing would be sent and staff should know why).
 */
export async function createBroadcast(
  db: Db,
  input: { tenantId: string; draft: ComposedDraft; upload: Upload | null; actor: Actor; now: Date },
): Promise<CreateResult> {
  const { tenantId, draft, now } = input;
  return withTenant(db, tenantId, async (tx) => {
    const recipients = await audienceCount(tx, tenantId, segmentFilter(draft.segment));
    if (recipients === 0)
      return {
        ok: false,
        errors: {
          segment: "この条件に当てはまる友だちがいません。条件を見直してください（まだ何も配信していません）。",
        },
      };
    const mediaId = input.upload ? await storeMedia(tx, tenantId, input.upload.data, input.upload.checked) : undefined;
    let content: BroadcastContent;
    if (draft.kind === "text") content = { kind: "text", text: draft.text! };
    else if (draft.kind === "image") content = { kind: "image", mediaId: mediaId! };
    else content = { kind: "flex", ...draft.card!, ...(mediaId ? { mediaId } : {}) };
    const s = draft.schedule;
    const values =
      s.mode === "now"
        ? { status: "sending" as const, sendAt: now, nextRunAt: null, recurrence: null }
        : s.mode === "once"
          ? { status: "scheduled" as const, sendAt: s.at, nextRunAt: s.at, recurrence: null }
          : { status: "scheduled" as const, sendAt: null, nextRunAt: nextRunAfter(s.rule, now), recurrence: s.rule };
    const [b] = await tx
      .insert(broadcasts)
      .values({
        tenantId,
        title: draft.title,
        messageKind: draft.kind,
        content,
        versions: draft.versions ?? {},
        segment: draft.segment,
        createdBy: input.actor.staffUserId,
        ...values,
      })
      .returning({ id: broadcasts.id });
    let runId: string | undefined;
    if (s.mode === "now") {
      const [run] = await tx
        .insert(broadcastRuns)
        .values({ tenantId, broadcastId: b!.id, scheduledFor: now })
        .returning({ id: broadcastRuns.id });
      runId = run!.id;
      await writeOutbox(tx, tenantId, "start-broadcast-run", { tenantId, runId });
    }
    // What was sent and to which segment; the segment holds attributes, never a resident.
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: input.actor.staffUserId,
      action: "broadcast.create",
      targetType: "broadcast",
      targetId: b!.id,
      ip: input.actor.ip,
      detail: {
        title: draft.title,
        kind: draft.kind,
        languages: Object.keys(draft.versions ?? {}),
        schedule: s.mode,
        ...(s.mode === "once" ? { at: s.at.toISOString() } : {}),
        ...(s.mode === "recur" ? { rule: s.rule } : {}),
        segment: draft.segment,
        recipientsAtCompose: recipients,
        ...(runId ? { runId } : {}),
      },
    });
    return { ok: true, id: b!.id };
  });
}

export type CancelResult = { ok: true } | { ok: false; message: string };

/** Cancels a scheduled broadcast's future runs (one-off or recurring); a run already sending is stopped with stopRun. */
export async function cancelBroadcast(
  db: Db,
  input: { tenantId: string; id: string; actor: Actor },
): Promise<CancelResult> {
  return withTenant(db, input.tenantId, async (tx) => {
    const [b] = await tx
      .update(broadcasts)
      .set({ status: "cancelled", nextRunAt: null, cancelledAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(eq(broadcasts.tenantId, input.tenantId), eq(broadcasts.id, input.id), eq(broadcasts.status, "scheduled")),
      )
      .returning({ id: broadcasts.id, title: broadcasts.title });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.actor.staffUserId,
      action: "broadcast.cancel",
      targetType: "broadcast",
      targetId: input.id,
      ip: input.actor.ip,
      detail: { ok: !!b },
    });
    return b
      ? { ok: true }
      : { ok: false, message: "この配信は取り消せません。すでに配信中か、配信が終わっています。" };
  });
}

export type StopResult =
  { ok: true; sentRecipients: number; unsentRecipients: number; recurring: boolean } | { ok: false; message: string };

/**
 * 送信を中止: stops one run that is waiting or sending. The run becomes "cancelled" (finished now);
 * chunk jobs check that status right before calling LINE, so chunks not yet sent are never sent,
 * while a chunk already handed to LINE finishes and is counted (the counts below are those at the
 * stop; the run's own counters stay live). A one-off broadcast is then over ("cancelled"); a
 * recurring one keeps its schedule — only this run stops (cancelling the future is cancelBroadcast).
 * The run id comes from the page, so a stop never hits a newer run the admin has not seen.
 */
export async function stopRun(
  db: Db,
  input: { tenantId: string; broadcastId: string; runId: string; actor: Actor },
): Promise<StopResult> {
  const { tenantId, broadcastId, runId } = input;
  return withTenant(db, tenantId, async (tx): Promise<StopResult> => {
    // Serialises with a chunk's mark-sent (same row): the counts returned include every chunk recorded so far.
    const [run] = await tx
      .update(broadcastRuns)
      .set({ status: "cancelled", finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(
          eq(broadcastRuns.tenantId, tenantId),
          eq(broadcastRuns.id, runId),
          eq(broadcastRuns.broadcastId, broadcastId),
          inArray(broadcastRuns.status, ["pending", "sending"]),
        ),
      )
      .returning({
        totalRecipients: broadcastRuns.totalRecipients,
        sentRecipients: broadcastRuns.sentRecipients,
        failedRecipients: broadcastRuns.failedRecipients,
      });
    let recurring = false;
    if (run) {
      const [oneOff] = await tx
        .update(broadcasts)
        .set({ status: "cancelled", cancelledAt: sql`now()`, updatedAt: sql`now()` })
        .where(
          and(
            eq(broadcasts.tenantId, tenantId),
            eq(broadcasts.id, broadcastId),
            isNull(broadcasts.recurrence),
            eq(broadcasts.status, "sending"),
          ),
        )
        .returning({ id: broadcasts.id });
      recurring = !oneOff;
    }
    const counts = run
      ? {
          sentRecipients: run.sentRecipients,
          unsentRecipients: Math.max(0, run.totalRecipients - run.sentRecipients - run.failedRecipients),
        }
      : null;
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: input.actor.staffUserId,
      action: "broadcast.run_cancelled",
      targetType: "broadcast",
      targetId: broadcastId,
      ip: input.actor.ip,
      detail: {
        runId,
        ok: !!run,
        ...(counts ? { ...counts, failedRecipients: run!.failedRecipients, recurring } : {}),
      },
    });
    return counts
      ? { ok: true, ...counts, recurring }
      : { ok: false, message: "この配信は中止できません。すでに送信が終わっているか、中止されています。" };
  });
}

export type RunView = Pick<
  BroadcastRun,
  | "id"
  | "status"
  | "scheduledFor"
  | "totalRecipients"
  | "totalChunks"
  | "sentChunks"
  | "sentRecipients"
  | "failedChunks"
  | "failedRecipients"
  | "startedAt"
  | "finishedAt"
  | "error"
>;
export type BroadcastListItem = Pick<
  Broadcast,
  "id" | "title" | "messageKind" | "status" | "sendAt" | "nextRunAt" | "recurrence" | "createdAt" | "segment"
> & { lastRun: RunView | null };

const runColumns = {
  id: broadcastRuns.id,
  status: broadcastRuns.status,
  scheduledFor: broadcastRuns.scheduledFor,
  totalRecipients: broadcastRuns.totalRecipients,
  totalChunks: broadcastRuns.totalChunks,
  sentChunks: broadcastRuns.sentChunks,
  sentRecipients: broadcastRuns.sentRecipients,
  failedChunks: broadcastRuns.failedChunks,
  failedRecipients: broadcastRuns.failedRecipients,
  startedAt: broadcastRuns.startedAt,
  finishedAt: broadcastRuns.finishedAt,
  error: broadcastRuns.error,
};

/** Broadcasts, newest first, one page at a time (a weekly notice alone is 50 a year). */
export async function listBroadcasts(
  db: Db,
  tenantId: string,
  req: PageRequest = readPage(null),
): Promise<Paged<BroadcastListItem>> {
  return withTenant(db, tenantId, async (tx) => {
    const fetched = await tx
      .select({
        id: broadcasts.id,
        title: broadcasts.title,
        messageKind: broadcasts.messageKind,
        status: broadcasts.status,
        sendAt: broadcasts.sendAt,
        nextRunAt: broadcasts.nextRunAt,
        recurrence: broadcasts.recurrence,
        createdAt: broadcasts.createdAt,
        segment: broadcasts.segment,
      })
      .from(broadcasts)
      .where(eq(broadcasts.tenantId, tenantId))
      .orderBy(desc(broadcasts.createdAt), desc(broadcasts.id))
      .limit(req.limit)
      .offset(req.offset);
    const { items: rows, ...page } = toPage(fetched, req);
    if (!rows.length) return { ...page, items: [] };
    const runs = await tx
      .selectDistinctOn([broadcastRuns.broadcastId], { broadcastId: broadcastRuns.broadcastId, ...runColumns })
      .from(broadcastRuns)
      .where(
        and(
          eq(broadcastRuns.tenantId, tenantId),
          inArray(
            broadcastRuns.broadcastId,
            rows.map((r) => r.id),
          ),
        ),
      )
      .orderBy(broadcastRuns.broadcastId, desc(broadcastRuns.scheduledFor));
    const byId = new Map(runs.map(({ broadcastId, ...r }) => [broadcastId, r]));
    return { ...page, items: rows.map((r) => ({ ...r, lastRun: byId.get(r.id) ?? null })) };
  });
}

export async function broadcastDetail(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ broadcast: Broadcast; runs: RunView[] } | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [b] = await tx
      .select()
      .from(broadcasts)
      .where(and(eq(broadcasts.tenantId, tenantId), eq(broadcasts.id, id)));
    if (!b) return null;
    const runs = await tx
      .select(runColumns)
      .from(broadcastRuns)
      .where(and(eq(broadcastRuns.tenantId, tenantId), eq(broadcastRuns.broadcastId, id)))
      .orderBy(desc(broadcastRuns.scheduledFor))
      .limit(50);
    return { broadcast: b, runs };
  });
}
