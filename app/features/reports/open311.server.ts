import { createHash } from "node:crypto";
import { and, desc, eq, gte, inArray, lte, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reportEvents, reports, type Report } from "#db/schema/index";
import { toTokyoIso } from "~/lib/japan-time";
import { CLOSED_STATES, EMERGENCY_CATEGORY, insideBounds, isState, STATE_LABELS } from "./categories";
import { createReport, reportSettingsOf } from "./reports.server";
import { matchOpen311Key } from "./settings.server";

/**
 * Open311 GeoReport v2 per city (issue 17): services.json (the categories), requests.json (list and
 * create), requests/{id}.json. Every call but services.json needs one of the city's API keys.
 * Reporter identity never leaves: no e-mail, no LINE id, no residents' photos (media_url is absent).
 * Errors are GeoReport's `[{ code, description }]` with the same HTTP status.
 */
export type Open311Response = { status: number; body: unknown };
const error = (status: number, description: string): Open311Response => ({
  status,
  body: [{ code: status, description }],
});

/** A stable, ASCII service code per category (integrators keep codes in config files). */
export const serviceCode = (category: string) => createHash("sha256").update(category).digest("hex").slice(0, 8);

export async function open311Services(db: Db, tenantId: string): Promise<Open311Response> {
  const { categories } = await withTenant(db, tenantId, (tx) => reportSettingsOf(tx, tenantId));
  return {
    status: 200,
    body: categories.map((c) => ({
      service_code: serviceCode(c),
      service_name: c,
      description: c === EMERGENCY_CATEGORY ? "危険な場合はまず電話で連絡してください。" : c,
      metadata: false,
      type: "realtime",
      keywords: "",
      group: "",
    })),
  };
}

function asRequest(r: Report, notes: Map<string, string>) {
  const closed = (CLOSED_STATES as readonly string[]).includes(r.state);
  return {
    service_request_id: r.number,
    status: closed ? "closed" : "open",
    status_notes: notes.get(r.id) ?? (isState(r.state) ? STATE_LABELS[r.state] : r.state),
    service_name: r.category,
    service_code: serviceCode(r.category),
    description: r.description,
    agency_responsible: r.department ?? "",
    service_notice: "",
    requested_datetime: toTokyoIso(r.createdAt),
    updated_datetime: toTokyoIso(r.updatedAt),
    expected_datetime: null,
    address: [r.area, r.landmark].filter(Boolean).join(" "),
    address_id: "",
    zipcode: "",
    lat: r.latitude,
    long: r.longitude,
  };
}

/** The latest staff note per report, for status_notes. */
async function latestNotes(tx: Parameters<Parameters<typeof withTenant>[2]>[0], tenantId: string, ids: string[]) {
  const notes = new Map<string, string>();
  if (!ids.length) return notes;
  const rows = await tx
    .select({ reportId: reportEvents.reportId, note: reportEvents.note })
    .from(reportEvents)
    .where(and(eq(reportEvents.tenantId, tenantId), inArray(reportEvents.reportId, ids)))
    .orderBy(desc(reportEvents.createdAt));
  for (const r of rows) if (r.note && !notes.has(r.reportId)) notes.set(r.reportId, r.note);
  return notes;
}

const date = (v: string | null) => {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) || v.length > 40 ? undefined : d;
};

export async function open311Requests(db: Db, tenantId: string, q: URLSearchParams): Promise<Open311Response> {
  return withTenant(db, tenantId, async (tx) => {
    const settings = await reportSettingsOf(tx, tenantId);
    if (!matchOpen311Key(settings.open311Keys, q.get("api_key"))) return error(401, "api_key is missing or invalid");
    const where: SQL[] = [eq(reports.tenantId, tenantId)];
    const ids = q.get("service_request_id");
    if (ids)
      where.push(
        inArray(
          reports.number,
          ids
            .split(",")
            .slice(0, 100)
            .map((s) => s.trim()),
        ),
      );
    const code = q.get("service_code");
    if (code) {
      const cat = settings.categories.find((c) => serviceCode(c) === code);
      if (!cat) return { status: 200, body: [] };
      where.push(eq(reports.category, cat));
    }
    const start = date(q.get("start_date"));
    const end = date(q.get("end_date"));
    if (start === undefined || end === undefined) return error(400, "start_date and end_date must be ISO 8601 dates");
    if (start) where.push(gte(reports.createdAt, start));
    if (end) where.push(lte(reports.createdAt, end));
    const status = q.get("status");
    if (status && status !== "open" && status !== "closed") return error(400, "status must be open or closed");
    // GeoReport's default window: the last 90 days, at most 1,000 requests.
    if (!start && !end && !ids) where.push(gte(reports.createdAt, new Date(Date.now() - 90 * 86_400_000)));
    let rows = await tx
      .select()
      .from(reports)
      .where(and(...where))
      .orderBy(desc(reports.createdAt))
      .limit(1000);
    if (status)
      rows = rows.filter((r) => (CLOSED_STATES as readonly string[]).includes(r.state) === (status === "closed"));
    const notes = await latestNotes(
      tx,
      tenantId,
      rows.map((r) => r.id),
    );
    return { status: 200, body: rows.map((r) => asRequest(r, notes)) };
  });
}

export async function open311Request(db: Db, tenantId: string, number: string, apiKey: string | null) {
  const q = new URLSearchParams({ service_request_id: number, api_key: apiKey ?? "" });
  const result = await open311Requests(db, tenantId, q);
  if (result.status === 200 && Array.isArray(result.body) && result.body.length === 0)
    return error(404, "service request not found");
  return result;
}

/** POST requests.json: a new report from an integration; answers its 受付番号. */
export async function open311Create(db: Db, tenantId: string, form: URLSearchParams): Promise<Open311Response> {
  return withTenant(db, tenantId, async (tx) => {
    const settings = await reportSettingsOf(tx, tenantId);
    const integration = matchOpen311Key(settings.open311Keys, form.get("api_key"));
    if (!integration) return error(401, "api_key is missing or invalid");
    const category = settings.categories.find((c) => serviceCode(c) === form.get("service_code"));
    if (!category) return error(400, "service_code not found");
    const latRaw = form.get("lat");
    const lngRaw = form.get("long");
    const address = (form.get("address_string") ?? "").normalize("NFKC").trim().slice(0, 200);
    let point = null;
    if (latRaw || lngRaw) {
      const latitude = Number(latRaw);
      const longitude = Number(lngRaw);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return error(400, "lat and long must be numbers");
      point = { latitude, longitude };
      if (!insideBounds(point, settings.bounds)) return error(400, "the location is outside the city's area");
    } else if (!address) return error(400, "lat/long or address_string is required");
    const description = (form.get("description") ?? "").normalize("NFKC").trim();
    if (description.length > 4000) return error(400, "description must be at most 4000 characters");
    // email, first_name, last_name, phone and device_id are accepted and not kept: no reporter identity.
    const report = await createReport(tx, tenantId, {
      category,
      point,
      area: null,
      landmark: address || null,
      description,
      source: "open311",
    });
    return {
      status: 201,
      body: [{ service_request_id: report.number, service_notice: "", account_id: null }],
    };
  });
}
