import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { garbageDatasets, garbageExceptions, tenants } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { forgetTenant } from "~/tenants/resolve.server";
import type { GarbageDataset, GarbageException } from "./dataset";
import type { ScheduleData } from "./schedule";

/** What the resident pages, LINE answers and the push read: the dataset and the exceptions. */
export type GarbageState = ScheduleData & { pushTime: string | null; importedAt: Date | null };

export async function loadGarbage(tx: DbOrTx, tenantId: string): Promise<GarbageState | null> {
  const [row] = await tx
    .select({ data: garbageDatasets.data, pushTime: garbageDatasets.pushTime, importedAt: garbageDatasets.importedAt })
    .from(garbageDatasets)
    .where(eq(garbageDatasets.tenantId, tenantId));
  if (!row?.importedAt) return null;
  return {
    dataset: row.data,
    exceptions: await listExceptions(tx, tenantId),
    pushTime: row.pushTime,
    importedAt: row.importedAt,
  };
}

/** Every change bumps updated_at: the answer cache below keys on it. */
const touch = (tx: DbOrTx, tenantId: string) =>
  tx
    .update(garbageDatasets)
    .set({ updatedAt: sql`now()` })
    .where(eq(garbageDatasets.tenantId, tenantId));

const cache = new Map<string, { version: number; state: GarbageState | null }>();

/**
 * loadGarbage behind a per-process cache keyed on the row's updated_at: a LINE message that reaches
 * the garbage responder costs one primary-key read instead of the whole document (bench:webhook).
 */
export async function cachedGarbage(tx: DbOrTx, tenantId: string): Promise<GarbageState | null> {
  const [row] = await tx
    .select({ updatedAt: garbageDatasets.updatedAt })
    .from(garbageDatasets)
    .where(eq(garbageDatasets.tenantId, tenantId));
  if (!row) return null;
  const version = row.updatedAt.getTime();
  const hit = cache.get(tenantId);
  if (hit && hit.version === version) return hit.state;
  const state = await loadGarbage(tx, tenantId);
  if (cache.size > 1000) cache.clear();
  cache.set(tenantId, { version, state });
  return state;
}

export async function listExceptions(tx: DbOrTx, tenantId: string): Promise<(GarbageException & { id: string })[]> {
  return tx
    .select({
      id: garbageExceptions.id,
      date: garbageExceptions.date,
      category: garbageExceptions.category,
      note: garbageExceptions.note,
    })
    .from(garbageExceptions)
    .where(eq(garbageExceptions.tenantId, tenantId))
    .orderBy(asc(garbageExceptions.date));
}

/** staffUserId null: the demo seed or a script (recorded as "system"). */
export type Actor = { staffUserId: string | null; ip?: string | null };

const audit = (tx: DbOrTx, tenantId: string, actor: Actor, action: string, detail: Record<string, unknown>) =>
  recordAudit(tx, {
    tenantId,
    actorKind: actor.staffUserId ? "staff" : "system",
    actorId: actor.staffUserId,
    action,
    targetType: "garbage",
    targetId: tenantId,
    detail,
    ip: actor.ip,
  });

/** Stores a parsed import as pending (the preview); nothing residents see changes. */
export async function storePending(db: Db, tenantId: string, dataset: GarbageDataset) {
  await withTenant(db, tenantId, async (tx) => {
    await tx
      .insert(garbageDatasets)
      .values({
        tenantId,
        data: { categories: [], areas: [], centers: [], remarks: {}, items: [] },
        pending: dataset,
        pendingAt: sql`now()`,
      })
      .onConflictDoUpdate({ target: garbageDatasets.tenantId, set: { pending: dataset, pendingAt: sql`now()` } });
  });
}

export async function readPending(tx: DbOrTx, tenantId: string) {
  const [row] = await tx
    .select({
      pending: garbageDatasets.pending,
      pendingAt: garbageDatasets.pendingAt,
      data: garbageDatasets.data,
      importedAt: garbageDatasets.importedAt,
    })
    .from(garbageDatasets)
    .where(eq(garbageDatasets.tenantId, tenantId));
  return row ?? null;
}

export type SaveResult = { ok: true; added: string[] } | { ok: false; message: string };

/**
 * 保存: the pending dataset becomes the city's, in one transaction with the audit entry and (when
 * staff ticked it) the city's area list extended by the 5374 areas it lacked (ADR 050).
 */
export async function savePending(
  db: Db,
  tenant: { id: string; slug: string },
  opts: { extendAreas: boolean; pendingAt: string },
  actor: Actor,
): Promise<SaveResult> {
  const result = await withTenant(db, tenant.id, async (tx): Promise<SaveResult> => {
    const row = await readPending(tx, tenant.id);
    if (!row?.pending || !row.pendingAt || row.pendingAt.toISOString() !== opts.pendingAt)
      return { ok: false, message: "プレビューの内容が古くなっています。もう一度ファイルを読み込んでください。" };
    const [t] = await tx.select({ areas: tenants.areas }).from(tenants).where(eq(tenants.id, tenant.id));
    const missing = row.pending.areas.map((a) => a.name).filter((n) => !t!.areas.includes(n));
    if (missing.length && !opts.extendAreas)
      return {
        ok: false,
        message: `市の地区にない地名があります（${missing.slice(0, 5).join("、")}${missing.length > 5 ? "…" : ""}）。地区に追加するにチェックを入れるか、地名を直してください。`,
      };
    if (missing.length)
      await tx
        .update(tenants)
        .set({ areas: [...t!.areas, ...missing], updatedAt: sql`now()` })
        .where(eq(tenants.id, tenant.id));
    await tx
      .update(garbageDatasets)
      .set({
        data: row.pending,
        pending: null,
        pendingAt: null,
        importedAt: sql`now()`,
        importedBy: actor.staffUserId,
        updatedAt: sql`now()`,
      })
      .where(eq(garbageDatasets.tenantId, tenant.id));
    await audit(tx, tenant.id, actor, "garbage.import", {
      areas: row.pending.areas.length,
      categories: row.pending.categories.length,
      items: row.pending.items.length,
      addedAreas: missing,
    });
    return { ok: true, added: missing };
  });
  if (result.ok && result.added.length) forgetTenant(tenant.slug);
  return result;
}

export async function setPushTime(db: Db, tenantId: string, pushTime: string | null, actor: Actor) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .update(garbageDatasets)
      .set({ pushTime, updatedAt: sql`now()` })
      .where(eq(garbageDatasets.tenantId, tenantId))
      .returning({ tenantId: garbageDatasets.tenantId });
    if (!row) return false;
    await audit(tx, tenantId, actor, "garbage.push-time", { pushTime });
    return true;
  });
}

export async function setSkipHolidays(db: Db, tenantId: string, label: string, skip: boolean, actor: Actor) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ data: garbageDatasets.data })
      .from(garbageDatasets)
      .where(eq(garbageDatasets.tenantId, tenantId))
      .for("update");
    if (!row || !row.data.categories.some((c) => c.label === label)) return false;
    const data = {
      ...row.data,
      categories: row.data.categories.map((c) => (c.label === label ? { ...c, skipHolidays: skip } : c)),
    };
    await tx
      .update(garbageDatasets)
      .set({ data, updatedAt: sql`now()` })
      .where(eq(garbageDatasets.tenantId, tenantId));
    await audit(tx, tenantId, actor, "garbage.holidays", { category: label, skipHolidays: skip });
    return true;
  });
}

export async function addException(db: Db, tenantId: string, e: GarbageException, actor: Actor): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .insert(garbageExceptions)
      .values({ tenantId, date: e.date, category: e.category, note: e.note })
      .onConflictDoNothing()
      .returning({ id: garbageExceptions.id });
    if (!row) return false;
    await touch(tx, tenantId);
    await audit(tx, tenantId, actor, "garbage.exception.add", { ...e });
    return true;
  });
}

export async function removeException(db: Db, tenantId: string, id: string, actor: Actor) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .delete(garbageExceptions)
      .where(and(eq(garbageExceptions.tenantId, tenantId), eq(garbageExceptions.id, id)))
      .returning({ date: garbageExceptions.date, category: garbageExceptions.category });
    if (row) {
      await touch(tx, tenantId);
      await audit(tx, tenantId, actor, "garbage.exception.remove", row);
    }
    return Boolean(row);
  });
}
