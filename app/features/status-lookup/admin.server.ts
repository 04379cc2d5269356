import { and, desc, eq, getTableColumns, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import {
  statusChanges,
  statusImports,
  statusLookupDaily,
  statusLookupRows,
  statusLookups,
  type LookupStatus,
  type StatusImport,
  type StatusLookup,
} from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { isUuid, type StaffActor } from "~/features/services/services.server";
import { addDays, tokyoDateOf } from "~/lib/japan-time";
import type { LookupInput } from "./status-lookup.schemas";

/**
 * Staff side of 申請状況 (issue 19): admins create lookups and queue CSV imports; analysts read the
 * same pages, which show counts only (per status, per day) — never a row. Changes are audited.
 */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export type LookupSummary = StatusLookup & {
  counts: { code: string; label: string; rows: number }[];
  days: { day: string; found: number; notFound: number }[];
};

export function createLookup(db: Db, tenantId: string, input: LookupInput, actor: StaffActor) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .insert(statusLookups)
      .values({ tenantId, ...input })
      .returning();
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "status_lookup.create",
      targetType: "status_lookup",
      targetId: row!.id,
      detail: { title: input.title },
      ip: actor.ip,
    });
    return row!;
  });
}

export function updateLookup(db: Db, tenantId: string, id: string, input: LookupInput, actor: StaffActor) {
  if (!isUuid(id)) return Promise.resolve(false);
  return withTenant(db, tenantId, async (tx) => {
    const [current] = await tx
      .select({ statuses: statusLookups.statuses })
      .from(statusLookups)
      .where(and(eq(statusLookups.tenantId, tenantId), eq(statusLookups.id, id)));
    if (!current) return false;
    const statuses = keepStatusCodes(current.statuses, input.statuses);
    const [row] = await tx
      .update(statusLookups)
      .set({ ...input, statuses, updatedAt: new Date() })
      .where(and(eq(statusLookups.tenantId, tenantId), eq(statusLookups.id, id)))
      .returning({ id: statusLookups.id });
    if (!row) return false;
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "status_lookup.update",
      targetType: "status_lookup",
      targetId: id,
      detail: { title: input.title },
      ip: actor.ip,
    });
    return true;
  });
}

/**
 * Rows store a status's code: an edited list keeps the code of every label that stays (whatever its
 * new position), and new labels get codes never used before in this lookup.
 */
export function keepStatusCodes(before: readonly LookupStatus[], after: readonly LookupStatus[]): LookupStatus[] {
  let next = Math.max(0, ...before.map((s) => Number(s.code.slice(1)) || 0)) + 1;
  return after.map((s) => {
    const kept = before.find((b) => b.label === s.label);
    return { ...s, code: kept ? kept.code : `s${next++}` };
  });
}

/** Every lookup with its rows per status and the last 14 days' checks: counts only. */
export function listLookups(db: Db, tenantId: string, now: Date): Promise<LookupSummary[]> {
  return withTenant(db, tenantId, async (tx) => {
    const lookups = await tx
      .select()
      .from(statusLookups)
      .where(eq(statusLookups.tenantId, tenantId))
      .orderBy(desc(statusLookups.opensOn));
    const counts = await tx
      .select({
        lookupId: statusLookupRows.lookupId,
        status: statusLookupRows.status,
        rows: sql<number>`count(*)::int`,
      })
      .from(statusLookupRows)
      .where(eq(statusLookupRows.tenantId, tenantId))
      .groupBy(statusLookupRows.lookupId, statusLookupRows.status);
    const since = addDays(tokyoDateOf(now), -13);
    const days = await tx
      .select()
      .from(statusLookupDaily)
      .where(and(eq(statusLookupDaily.tenantId, tenantId), gte(statusLookupDaily.day, since)))
      .orderBy(desc(statusLookupDaily.day));
    return lookups.map((l) => ({
      ...l,
      counts: l.statuses.map((s) => ({
        code: s.code,
        label: s.label,
        rows: counts.find((c) => c.lookupId === l.id && c.status === s.code)?.rows ?? 0,
      })),
      days: days.filter((d) => d.lookupId === l.id).map((d) => ({ day: d.day, found: d.found, notFound: d.notFound })),
    }));
  });
}

export async function getLookup(db: Db, tenantId: string, id: string, now: Date) {
  if (!isUuid(id)) return null;
  return (await listLookups(db, tenantId, now)).find((l) => l.id === id) ?? null;
}

export type ImportView = Omit<StatusImport, "file"> & {
  changes: { fromStatus: string; toStatus: string; rows: number }[];
};

/** The lookup's imports, newest first, with what each changed (status → status: how many rows). */
export function listImports(db: Db, tenantId: string, lookupId: string): Promise<ImportView[]> {
  if (!isUuid(lookupId)) return Promise.resolve([]);
  return withTenant(db, tenantId, async (tx) => {
    const { file: _file, ...cols } = getTableColumns(statusImports);
    const imports = await tx
      .select(cols)
      .from(statusImports)
      .where(and(eq(statusImports.tenantId, tenantId), eq(statusImports.lookupId, lookupId)))
      .orderBy(desc(statusImports.createdAt))
      .limit(20);
    if (imports.length === 0) return [];
    const changes = await tx
      .select({
        importId: statusChanges.importId,
        fromStatus: statusChanges.fromStatus,
        toStatus: statusChanges.toStatus,
        rows: sql<number>`count(*)::int`,
      })
      .from(statusChanges)
      .where(
        and(
          eq(statusChanges.tenantId, tenantId),
          inArray(
            statusChanges.importId,
            imports.map((i) => i.id),
          ),
        ),
      )
      .groupBy(statusChanges.importId, statusChanges.fromStatus, statusChanges.toStatus);
    return imports.map((i) => ({ ...i, changes: changes.filter((c) => c.importId === i.id) }));
  });
}

/** Stores the upload and queues its import (the worker runs it, all or nothing). */
export async function queueImport(
  db: Db,
  tenantId: string,
  input: { lookupId: string; filename: string; bytes: Buffer },
  actor: StaffActor,
): Promise<{ ok: true; importId: string } | { ok: false; message: string }> {
  if (input.bytes.length === 0) return { ok: false, message: "ファイルを選んでください。" };
  if (input.bytes.length > MAX_UPLOAD_BYTES) return { ok: false, message: "ファイルが大きすぎます（20MBまで）。" };
  if (!isUuid(input.lookupId)) return { ok: false, message: "照会が見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    const [lookup] = await tx
      .select({ id: statusLookups.id })
      .from(statusLookups)
      .where(and(eq(statusLookups.tenantId, tenantId), eq(statusLookups.id, input.lookupId)));
    if (!lookup) return { ok: false as const, message: "照会が見つかりません。" };
    const [row] = await tx
      .insert(statusImports)
      .values({
        tenantId,
        lookupId: lookup.id,
        filename: input.filename.slice(0, 200),
        file: input.bytes.toString("base64"),
        createdByStaffId: actor.staffUserId,
      })
      .returning({ id: statusImports.id });
    await writeOutbox(tx, tenantId, "status-import", { tenantId, importId: row!.id });
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "status_lookup.upload",
      targetType: "status_lookup",
      targetId: lookup.id,
      detail: { importId: row!.id, filename: input.filename, bytes: input.bytes.length },
      ip: actor.ip,
    });
    return { ok: true as const, importId: row!.id };
  });
}

/** Rows and subscriptions of lookups closed more than their retention ago; the lookup itself stays. */
export async function purgeClosedLookups(db: Db, tenantId: string, now: Date): Promise<number> {
  return withTenant(db, tenantId, async (tx) => {
    const due = await tx
      .select({ id: statusLookups.id })
      .from(statusLookups)
      .where(
        and(
          eq(statusLookups.tenantId, tenantId),
          sql`${statusLookups.purgedAt} is null`,
          sql`${statusLookups.closesOn} + ${statusLookups.purgeAfterDays} < ${tokyoDateOf(now)}::date`,
        ),
      );
    let rows = 0;
    for (const l of due) {
      const deleted = await tx.delete(statusLookupRows).where(eq(statusLookupRows.lookupId, l.id));
      rows += deleted.count;
      await tx.update(statusLookups).set({ purgedAt: now }).where(eq(statusLookups.id, l.id));
      await recordAudit(tx, {
        tenantId,
        actorKind: "system",
        action: "status_lookup.purge",
        targetType: "status_lookup",
        targetId: l.id,
        detail: { rows: deleted.count },
      });
    }
    return rows;
  });
}

/** A refused import's report (lines and key tails of residents' rows): audited on every view. */
export async function viewImportReport(
  db: Db,
  tenantId: string,
  lookupId: string,
  importId: string,
  actor: StaffActor,
) {
  if (!isUuid(importId)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ id: statusImports.id, filename: statusImports.filename, errors: statusImports.errors })
      .from(statusImports)
      .where(
        and(eq(statusImports.tenantId, tenantId), eq(statusImports.lookupId, lookupId), eq(statusImports.id, importId)),
      );
    if (!row) return null;
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "status_lookup.view_report",
      targetType: "status_import",
      targetId: row.id,
      ip: actor.ip,
    });
    return row;
  });
}
