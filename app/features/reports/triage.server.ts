import { and, asc, count, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reportEvents, reportFollowers, reports, type Report, type ReportEvent } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { isUuid, type StaffActor } from "~/features/services/services.server";
import { formatTokyo } from "~/lib/japan-time";
import { toCsv } from "~/lib/csv.server";
import { isState, mapUrl, STATE_LABELS, type ReportState } from "./categories";
import {
  photoBytes,
  photosOf,
  publicPhotoBytes,
  storePhoto,
  type PhotoVariant,
  type StoredPhotoInfo,
} from "./photo-store.server";
import { processPhoto } from "./photos.server";

/**
 * Staff side of reports (issue 17): the list with filters, one report with its photos and history,
 * state changes with a note (and an after-photo), merging duplicates, the CSV export. Every change
 * is audited and queues the status push (send-report-status) in the same transaction; every view of
 * a resident's photo is audited.
 */
export type Result<T = undefined> = { ok: true; value: T } | { ok: false; message: string };
export type ReportFilters = { category?: string; state?: string; area?: string; olderThanDays?: number };

function filterWhere(tenantId: string, f: ReportFilters, now: Date): SQL {
  const parts: SQL[] = [eq(reports.tenantId, tenantId)];
  if (f.category) parts.push(eq(reports.category, f.category));
  if (f.state && isState(f.state)) parts.push(eq(reports.state, f.state));
  if (f.area) parts.push(eq(reports.area, f.area));
  if (f.olderThanDays && f.olderThanDays > 0)
    parts.push(lt(reports.createdAt, new Date(now.getTime() - f.olderThanDays * 86_400_000)));
  return and(...parts)!;
}

export type ReportListRow = Pick<
  Report,
  "id" | "number" | "category" | "state" | "area" | "landmark" | "createdAt" | "updatedAt"
> & { photos: number; followers: number };

export function listReports(db: Db, tenantId: string, f: ReportFilters, now = new Date()): Promise<ReportListRow[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: reports.id,
        number: reports.number,
        category: reports.category,
        state: reports.state,
        area: reports.area,
        landmark: reports.landmark,
        createdAt: reports.createdAt,
        updatedAt: reports.updatedAt,
        photos: sql<number>`(select count(*)::int from report_photos p where p.report_id = "reports"."id" and p.kind = 'report')`,
        followers: sql<number>`(select count(*)::int from report_followers f where f.report_id = "reports"."id")`,
      })
      .from(reports)
      .where(filterWhere(tenantId, f, now))
      .orderBy(desc(reports.createdAt))
      .limit(500),
  );
}

export type ReportDetail = {
  report: Report;
  photos: StoredPhotoInfo[];
  events: ReportEvent[];
  followers: number;
  mapUrl: string | null;
  duplicateOfNumber: string | null;
};

export async function reportDetail(db: Db, tenantId: string, id: string): Promise<ReportDetail | null> {
  if (!isUuid(id)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const [report] = await tx
      .select()
      .from(reports)
      .where(and(eq(reports.tenantId, tenantId), eq(reports.id, id)));
    if (!report) return null;
    const events = await tx
      .select()
      .from(reportEvents)
      .where(and(eq(reportEvents.tenantId, tenantId), eq(reportEvents.reportId, id)))
      .orderBy(asc(reportEvents.createdAt));
    const [f] = await tx
      .select({ n: count() })
      .from(reportFollowers)
      .where(and(eq(reportFollowers.tenantId, tenantId), eq(reportFollowers.reportId, id)));
    const [dup] = report.duplicateOf
      ? await tx.select({ number: reports.number }).from(reports).where(eq(reports.id, report.duplicateOf))
      : [];
    return {
      report,
      photos: await photosOf(tx, tenantId, id),
      events,
      followers: f?.n ?? 0,
      mapUrl:
        report.latitude !== null && report.longitude !== null
          ? mapUrl({ latitude: report.latitude, longitude: report.longitude })
          : null,
      duplicateOfNumber: dup?.number ?? null,
    };
  });
}

async function recordChange(
  tx: Tx,
  tenantId: string,
  report: Report,
  to: ReportState,
  note: string,
  actor: StaffActor,
  afterPhotoId: string | null,
) {
  const [event] = await tx
    .insert(reportEvents)
    .values({
      tenantId,
      reportId: report.id,
      fromState: report.state,
      toState: to,
      note,
      staffUserId: actor.staffUserId,
      afterPhotoId,
    })
    .returning();
  await tx
    .update(reports)
    .set({ state: to, updatedAt: new Date() })
    .where(and(eq(reports.tenantId, tenantId), eq(reports.id, report.id)));
  await recordAudit(tx, {
    tenantId,
    actorKind: "staff",
    actorId: actor.staffUserId,
    action: "report.state",
    targetType: "report",
    targetId: report.id,
    detail: { number: report.number, from: report.state, to },
    ip: actor.ip,
  });
  await writeOutbox(tx, tenantId, "send-report-status", {
    tenantId,
    eventId: event!.id,
  });
  return event!;
}

const NOTE_MAX = 500;

export async function changeReportState(
  db: Db,
  tenantId: string,
  id: string,
  input: { state: string; note: string; afterPhoto?: Uint8Array | null; department?: string },
  actor: StaffActor,
): Promise<Result<ReportEvent>> {
  const department = input.department?.normalize("NFKC").trim();
  if (department && department.length > 50) return { ok: false, message: "担当課は50文字以内で入力してください。" };
  if (!isState(input.state) || input.state === "duplicate")
    return { ok: false, message: "状態を選んでください（重複は「まとめる」から設定します）。" };
  const note = input.note.trim();
  if (note.length > NOTE_MAX) return { ok: false, message: `メモは${NOTE_MAX}文字以内で入力してください。` };
  // The photo is checked and re-encoded before the transaction: a bad file changes nothing.
  let after = null;
  if (input.afterPhoto?.length) {
    const processed = await processPhoto(input.afterPhoto);
    if (!processed.ok)
      return {
        ok: false,
        message:
          processed.problem === "too-large"
            ? "写真は10MBまでです。"
            : "対応後の写真を読み込めませんでした。JPEG・PNG・WebPの写真を選んでください。",
      };
    after = processed.photo;
  }
  if (!isUuid(id)) return { ok: false, message: "通報が見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    const [report] = await tx
      .select()
      .from(reports)
      .where(and(eq(reports.tenantId, tenantId), eq(reports.id, id)))
      .for("update");
    if (!report) return { ok: false, message: "通報が見つかりません。" };
    if (report.state === input.state && !note && !after)
      return { ok: false, message: "状態が同じです。メモか写真を添えるか、別の状態を選んでください。" };
    const photo = after ? await storePhoto(tx, tenantId, after, { reportId: id, kind: "after" }) : null;
    // 担当課 is staff's own routing note: changed with the state, never shown to residents.
    if (department !== undefined && department !== (report.department ?? ""))
      await tx
        .update(reports)
        .set({ department: department || null })
        .where(and(eq(reports.tenantId, tenantId), eq(reports.id, id)));
    const state = input.state as ReportState;
    return { ok: true, value: await recordChange(tx, tenantId, report, state, note, actor, photo?.id ?? null) };
  });
}

/** Marks `id` a duplicate of the report numbered `intoNumber`; its reporter and followers follow that one. */
export async function mergeReport(
  db: Db,
  tenantId: string,
  id: string,
  intoNumber: string,
  actor: StaffActor,
): Promise<Result<{ into: string }>> {
  if (!isUuid(id)) return { ok: false, message: "通報が見つかりません。" };
  const number = intoNumber.normalize("NFKC").trim().toUpperCase();
  return withTenant(db, tenantId, async (tx) => {
    const [report] = await tx
      .select()
      .from(reports)
      .where(and(eq(reports.tenantId, tenantId), eq(reports.id, id)))
      .for("update");
    if (!report) return { ok: false, message: "通報が見つかりません。" };
    const [target] = await tx
      .select()
      .from(reports)
      .where(and(eq(reports.tenantId, tenantId), eq(reports.number, number)));
    if (!target) return { ok: false, message: `受付番号「${number}」の通報が見つかりません。` };
    if (target.id === report.id) return { ok: false, message: "同じ通報にはまとめられません。" };
    if (target.duplicateOf)
      return { ok: false, message: "まとめ先も重複の通報です。元の通報の受付番号を入力してください。" };
    const movers = await tx
      .select({ lineUserId: reportFollowers.lineUserId })
      .from(reportFollowers)
      .where(and(eq(reportFollowers.tenantId, tenantId), eq(reportFollowers.reportId, id)));
    const users = new Set(movers.map((m) => m.lineUserId));
    if (report.reporterLineUserId) users.add(report.reporterLineUserId);
    if (target.reporterLineUserId) users.delete(target.reporterLineUserId);
    if (users.size)
      await tx
        .insert(reportFollowers)
        .values([...users].map((lineUserId) => ({ tenantId, reportId: target.id, lineUserId })))
        .onConflictDoNothing();
    // The push for 重複 still goes to this report's people (they hear which number to watch now).
    await recordChange(tx, tenantId, report, "duplicate", `受付番号 ${target.number} にまとめました。`, actor, null);
    await tx
      .update(reports)
      .set({ duplicateOf: target.id })
      .where(and(eq(reports.tenantId, tenantId), eq(reports.id, id)));
    return { ok: true, value: { into: target.number } };
  });
}

/** A photo for staff of this city only; the view is audited (residents' photos are personal data). */
export async function viewReportPhoto(
  db: Db,
  tenantId: string,
  photoId: string,
  variant: PhotoVariant,
  actor: StaffActor,
): Promise<Buffer | null> {
  if (!isUuid(photoId)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const photo = await photoBytes(tx, tenantId, photoId, variant);
    if (!photo) return null;
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "report.photo_view",
      targetType: "report_photo",
      targetId: photoId,
      detail: { reportId: photo.reportId, variant },
      ip: actor.ip,
    });
    return photo.bytes;
  });
}

/** The filtered list as CSV text (no reporter identity); the export is audited. */
export async function reportsCsvText(db: Db, tenantId: string, f: ReportFilters, actor: StaffActor, now = new Date()) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select()
      .from(reports)
      .where(filterWhere(tenantId, f, now))
      .orderBy(desc(reports.createdAt));
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "report.export",
      detail: { rows: rows.length, filters: f },
      ip: actor.ip,
    });
    return toCsv([
      [
        "受付番号",
        "受付日時",
        "種類",
        "状態",
        "地区",
        "目印",
        "緯度",
        "経度",
        "説明",
        "受付経路",
        "担当課",
        "更新日時",
      ],
      ...rows.map((r) => [
        r.number,
        formatTokyo(r.createdAt, "yyyy-MM-dd HH:mm"),
        r.category,
        isState(r.state) ? STATE_LABELS[r.state] : r.state,
        r.area,
        r.landmark,
        r.latitude,
        r.longitude,
        r.description,
        r.source === "line" ? "LINE" : r.source === "web" ? "ウェブ" : "Open311",
        r.department,
        formatTokyo(r.updatedAt, "yyyy-MM-dd HH:mm"),
      ]),
    ]);
  });
}

/** Reports per state for the list's header (open work at a glance). */
export function stateCounts(db: Db, tenantId: string) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({ state: reports.state, n: count() })
      .from(reports)
      .where(eq(reports.tenantId, tenantId))
      .groupBy(reports.state),
  );
}

/** The list's filters from the query string; anything unknown is ignored (never an error). */
export function readReportFilters(q: URLSearchParams): ReportFilters {
  const age = Number(q.get("age"));
  const str = (k: string) => {
    const v = q.get(k)?.trim();
    return v && v.length <= 100 ? v : undefined;
  };
  const state = str("state");
  return {
    category: str("category"),
    state: state && isState(state) ? state : undefined,
    area: str("area"),
    olderThanDays: Number.isInteger(age) && age > 0 && age <= 3650 ? age : undefined,
  };
}

export function publicAfterPhoto(db: Db, tenantId: string, token: string, variant: PhotoVariant) {
  return withTenant(db, tenantId, (tx) => publicPhotoBytes(tx, tenantId, token, variant));
}
