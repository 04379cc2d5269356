import { sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { addDays, formatDateTimeJa, isCalendarDate, tokyoInstant } from "~/lib/japan-time";
import { readPage, toPage, type PageRequest } from "~/lib/paging";
import { recordAudit, recordVendorAudit } from "./audit.server";

/**
 * Reading the audit logs (issue 20): the city's (admin only) and the vendor's. Filters come from the
 * URL; anything malformed is ignored rather than refused, so a hand-edited link still shows a page.
 */
export type AuditFilters = {
  actor: string;
  action: string;
  target: string;
  from: string;
  to: string;
  /** Only reads and exports of personal data: who saw or took out what. */
  personal: boolean;
};

/** Actions that read or take out personal data carry one of these words (…view, …export, …lookup). */
const PERSONAL_DATA_ACTION = "(view|export|lookup|search_name)";

const UUID = /^[0-9a-f-]{36}$/i;
const clean = (v: string | null, max = 100) => (v ?? "").trim().slice(0, max);

export function readAuditFilters(params: URLSearchParams): AuditFilters {
  const actor = clean(params.get("actor"));
  const from = clean(params.get("from"));
  const to = clean(params.get("to"));
  return {
    actor: UUID.test(actor) ? actor : "",
    action: clean(params.get("action")),
    target: clean(params.get("target")),
    from: isCalendarDate(from) ? from : "",
    to: isCalendarDate(to) ? to : "",
    personal: params.get("personal") === "1",
  };
}

function dateConditions(f: AuditFilters, column: SQL): SQL[] {
  const out: SQL[] = [];
  if (f.from) out.push(sql`${column} >= ${tokyoInstant(f.from).toISOString()}`);
  if (f.to) out.push(sql`${column} < ${tokyoInstant(addDays(f.to, 1)).toISOString()}`);
  return out;
}

export type AuditRow = {
  id: number;
  at: string;
  actorKind: string;
  actorName: string;
  action: string;
  target: string;
  detail: string;
  ip: string;
};

type RawRow = {
  id: number;
  created_at: string;
  actor_kind: string;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
};

const toRow = (r: RawRow): AuditRow => ({
  id: Number(r.id),
  at: formatDateTimeJa(new Date(r.created_at)),
  actorKind: r.actor_kind,
  actorName: r.actor_name ?? (r.actor_kind === "system" ? "システム" : r.actor_kind === "resident" ? "住民" : "—"),
  action: r.action,
  target: [r.target_type, r.target_id].filter(Boolean).join(" "),
  detail: Object.keys(r.detail ?? {}).length ? JSON.stringify(r.detail) : "",
  ip: r.ip ?? "",
});

async function cityRows(tx: DbOrTx, tenantId: string, f: AuditFilters, limit: number, offset: number) {
  const where: SQL[] = [sql`a.tenant_id = ${tenantId}`, ...dateConditions(f, sql`a.created_at`)];
  if (f.actor) where.push(sql`a.actor_id = ${f.actor}`);
  if (f.action) where.push(sql`a.action like ${`${f.action}%`}`);
  if (f.target) where.push(sql`(a.target_type = ${f.target} or a.target_id = ${f.target})`);
  if (f.personal) where.push(sql`a.action ~ ${PERSONAL_DATA_ACTION}`);
  const rows = await tx.execute<RawRow>(sql`
    select a.id, a.created_at, a.actor_kind, coalesce(su.display_name, vu.display_name) as actor_name,
           a.action, a.target_type, a.target_id, a.detail, host(a.ip) as ip
    from audit_log a
      left join staff_users su on a.actor_kind = 'staff' and su.id = a.actor_id
      left join vendor_users vu on a.actor_kind = 'vendor' and vu.id = a.actor_id
    where ${sql.join(where, sql` and `)}
    order by a.created_at desc, a.id desc
    limit ${limit} offset ${offset}`);
  return [...rows].map(toRow);
}

/** The filter choices: the city's staff (current members and anyone in the log) and the actions used. */
async function cityChoices(tx: DbOrTx, tenantId: string) {
  const staff = await tx.execute<{ id: string; name: string }>(sql`
    select su.id, su.display_name as name from staff_users su
    where su.id in (select staff_user_id from memberships where tenant_id = ${tenantId})
    order by su.display_name`);
  const actions = await tx.execute<{ action: string }>(sql`
    select distinct action from audit_log where tenant_id = ${tenantId} order by action`);
  return { staff: [...staff], actions: [...actions].map((a) => a.action) };
}

export async function cityAuditPage(db: Db, tenantId: string, url: URL) {
  const filters = readAuditFilters(url.searchParams);
  const req: PageRequest = readPage(url);
  return withTenant(db, tenantId, async (tx) => {
    const rows = await cityRows(tx, tenantId, filters, req.limit, req.offset);
    return { filters, page: toPage(rows, req), choices: await cityChoices(tx, tenantId) };
  });
}

export const AUDIT_CSV_LIMIT = 100_000;
const CSV_HEADER = ["日時", "操作者の種類", "操作者", "操作", "対象", "詳細", "IPアドレス"];

/** The filtered log as CSV rows; the export itself is written to the log first, in the same transaction. */
export async function exportCityAudit(db: Db, tenantId: string, staffUserId: string, ip: string | null, url: URL) {
  const filters = readAuditFilters(url.searchParams);
  return withTenant(db, tenantId, async (tx) => {
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: staffUserId,
      action: "audit.export",
      targetType: "audit_log",
      detail: { ...filters },
      ip,
    });
    const rows = await cityRows(tx, tenantId, filters, AUDIT_CSV_LIMIT, 0);
    return [CSV_HEADER, ...rows.map((r) => [r.at, r.actorKind, r.actorName, r.action, r.target, r.detail, r.ip])];
  });
}

// ---- The vendor's own log (vendor actions across cities; no RLS, platform level) ----

async function vendorRows(db: DbOrTx, f: AuditFilters, limit: number, offset: number) {
  const where: SQL[] = [sql`true`, ...dateConditions(f, sql`a.created_at`)];
  if (f.actor) where.push(sql`a.vendor_user_id = ${f.actor}`);
  if (f.action) where.push(sql`a.action like ${`${f.action}%`}`);
  if (f.target && UUID.test(f.target)) where.push(sql`a.tenant_id = ${f.target}`);
  if (f.personal) where.push(sql`a.action ~ ${PERSONAL_DATA_ACTION}`);
  const rows = await db.execute<RawRow>(sql`
    select a.id, a.created_at, 'vendor' as actor_kind, vu.display_name as actor_name, a.action,
           case when t.id is null then null else 'city' end as target_type, t.name as target_id,
           a.detail, host(a.ip) as ip
    from vendor_audit_log a
      left join vendor_users vu on vu.id = a.vendor_user_id
      left join tenants t on t.id = a.tenant_id
    where ${sql.join(where, sql` and `)}
    order by a.created_at desc, a.id desc
    limit ${limit} offset ${offset}`);
  return [...rows].map(toRow);
}

export async function vendorAuditPage(db: Db, url: URL) {
  const filters = readAuditFilters(url.searchParams);
  const req = readPage(url);
  const rows = await vendorRows(db, filters, req.limit, req.offset);
  const staff = await db.execute<{ id: string; name: string }>(
    sql`select id, display_name as name from vendor_users order by display_name`,
  );
  const actions = await db.execute<{ action: string }>(
    sql`select distinct action from vendor_audit_log order by action`,
  );
  const cities = await db.execute<{ id: string; name: string }>(sql`select id, name from tenants order by name`);
  return {
    filters,
    page: toPage(rows, req),
    choices: { staff: [...staff], actions: [...actions].map((a) => a.action), cities: [...cities] },
  };
}

export async function exportVendorAudit(db: Db, vendorUserId: string, ip: string | null, url: URL) {
  const filters = readAuditFilters(url.searchParams);
  return db.transaction(async (tx) => {
    await recordVendorAudit(tx, { vendorUserId, action: "audit.export", detail: { ...filters }, ip });
    const rows = await vendorRows(tx, filters, AUDIT_CSV_LIMIT, 0);
    return [CSV_HEADER, ...rows.map((r) => [r.at, r.actorKind, r.actorName, r.action, r.target, r.detail, r.ip])];
  });
}
