import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { faqEntries, faqUnanswered, type FaqEntry, type FaqUnanswered } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { isUuid, type StaffActor } from "~/features/services/services.server";
import { UNANSWERED_DAYS, type FaqEntryInput } from "./faq.schemas";

/**
 * Staff side of the FAQ (issue 16): admins create, edit, delete and import entries, analysts read.
 * Every change is audited in the same transaction. 未回答 questions are listed by count and promoted
 * into an entry in one step (the question becomes the entry's, the row leaves the list).
 */
export type Result<T = undefined> = { ok: true; value: T } | { ok: false; message: string };

export function listFaqEntries(db: Db, tenantId: string): Promise<FaqEntry[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(faqEntries)
      .where(eq(faqEntries.tenantId, tenantId))
      .orderBy(asc(faqEntries.category), asc(faqEntries.question)),
  );
}

export async function getFaqEntry(db: Db, tenantId: string, id: string): Promise<FaqEntry | null> {
  if (!isUuid(id)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(faqEntries)
      .where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.id, id)));
    return row ?? null;
  });
}

async function insertEntry(tx: DbOrTx, tenantId: string, input: FaqEntryInput, actor: StaffActor, action: string) {
  const [row] = await tx
    .insert(faqEntries)
    .values({ tenantId, ...input })
    .returning();
  await recordAudit(tx, {
    tenantId,
    actorKind: "staff",
    actorId: actor.staffUserId,
    action,
    targetType: "faq_entry",
    targetId: row!.id,
    detail: { question: input.question, category: input.category },
    ip: actor.ip,
  });
  return row!;
}

export function createFaqEntry(db: Db, tenantId: string, input: FaqEntryInput, actor: StaffActor) {
  return withTenant(db, tenantId, (tx) => insertEntry(tx, tenantId, input, actor, "faq.create"));
}

const FIELDS = ["question", "answer", "category", "variants", "published"] as const;

export async function updateFaqEntry(
  db: Db,
  tenantId: string,
  id: string,
  input: FaqEntryInput,
  actor: StaffActor,
): Promise<Result> {
  if (!isUuid(id)) return { ok: false, message: "質問が見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    const [before] = await tx
      .select()
      .from(faqEntries)
      .where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.id, id)))
      .for("update");
    if (!before) return { ok: false as const, message: "質問が見つかりません。" };
    const changed = FIELDS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(input[k]));
    if (!changed.length) return { ok: true as const, value: undefined };
    await tx
      .update(faqEntries)
      .set({ ...input, updatedAt: new Date() })
      .where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.id, id)));
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "faq.update",
      targetType: "faq_entry",
      targetId: id,
      detail: { changed },
      ip: actor.ip,
    });
    return { ok: true as const, value: undefined };
  });
}

export async function deleteFaqEntry(db: Db, tenantId: string, id: string, actor: StaffActor): Promise<Result> {
  if (!isUuid(id)) return { ok: false, message: "質問が見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .delete(faqEntries)
      .where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.id, id)))
      .returning({ question: faqEntries.question });
    if (!row) return { ok: false as const, message: "質問が見つかりません。" };
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "faq.delete",
      targetType: "faq_entry",
      targetId: id,
      detail: { question: row.question },
      ip: actor.ip,
    });
    return { ok: true as const, value: undefined };
  });
}

export function listUnanswered(db: Db, tenantId: string, limit = 200): Promise<FaqUnanswered[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(faqUnanswered)
      .where(eq(faqUnanswered.tenantId, tenantId))
      .orderBy(desc(faqUnanswered.count), desc(faqUnanswered.lastAskedAt))
      .limit(limit),
  );
}

export async function getUnanswered(db: Db, tenantId: string, id: string): Promise<FaqUnanswered | null> {
  if (!isUuid(id)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(faqUnanswered)
      .where(and(eq(faqUnanswered.tenantId, tenantId), eq(faqUnanswered.id, id)));
    return row ?? null;
  });
}

/** One step: the entry is created and the question leaves 未回答, or neither happens. */
export async function promoteUnanswered(
  db: Db,
  tenantId: string,
  unansweredId: string,
  input: FaqEntryInput,
  actor: StaffActor,
): Promise<Result<FaqEntry>> {
  if (!isUuid(unansweredId)) return { ok: false, message: "未回答の質問が見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    const [gone] = await tx
      .delete(faqUnanswered)
      .where(and(eq(faqUnanswered.tenantId, tenantId), eq(faqUnanswered.id, unansweredId)))
      .returning({ text: faqUnanswered.text, count: faqUnanswered.count });
    if (!gone) return { ok: false as const, message: "未回答の質問が見つかりません（すでに登録済みかもしれません）。" };
    const entry = await insertEntry(tx, tenantId, input, actor, "faq.promote");
    return { ok: true as const, value: entry };
  });
}

export async function dismissUnanswered(db: Db, tenantId: string, id: string, actor: StaffActor): Promise<Result> {
  if (!isUuid(id)) return { ok: false, message: "未回答の質問が見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    const [gone] = await tx
      .delete(faqUnanswered)
      .where(and(eq(faqUnanswered.tenantId, tenantId), eq(faqUnanswered.id, id)))
      .returning({ id: faqUnanswered.id });
    if (!gone) return { ok: false as const, message: "未回答の質問が見つかりません。" };
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "faq.unanswered.dismiss",
      targetType: "faq_unanswered",
      targetId: id,
      ip: actor.ip,
    });
    return { ok: true as const, value: undefined };
  });
}

/** Deletes one city's 未回答 rows not asked for `days` days (the daily purge, city by city under RLS). */
export async function purgeUnanswered(db: Db, tenantId: string, days = UNANSWERED_DAYS, now = new Date()) {
  const before = new Date(now.getTime() - days * 86_400_000);
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .delete(faqUnanswered)
      .where(and(eq(faqUnanswered.tenantId, tenantId), lt(faqUnanswered.lastAskedAt, before)))
      .returning({ id: faqUnanswered.id });
    return rows.length;
  });
}
