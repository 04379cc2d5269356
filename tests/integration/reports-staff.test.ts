import exifr from "exifr";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { withTenant } from "#db/with-tenant.server";
import { auditLog, reportFollowers, reports, type Tenant } from "#db/schema/index";
import { relayAndProcess } from "#tests/setup/jobs";
import { open311Create, open311Request, open311Requests, open311Services } from "~/features/reports/open311.server";
import { createReport, followReport, saveReportSettings } from "~/features/reports/reports.server";
import { addOpen311Key } from "~/features/reports/settings.server";
import { submitWebReport } from "~/features/reports/web-form.server";
import {
  changeReportState,
  listReports,
  mergeReport,
  publicAfterPhoto,
  reportDetail,
  reportsCsvText,
  viewReportPhoto,
} from "~/features/reports/triage.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { closeRedis } from "~/lib/redis.server";
import { emulatorControl, makeLineChannel, startWebhookReceiver, type PlainChannel } from "#tests/factories/line";
import { phoneJpeg } from "#tests/factories/report-photos";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Reports, staff side (issue 17): state changes pushed to the reporter and followers in their
 * language (after-photo on 完了), merge, audited photo views and CSV, Open311 with and without a
 * key, and one city never seeing another's reports.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
const ORIGIN = "https://madoguchi.test";
let emu: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let ctl: ReturnType<typeof emulatorControl>;
let line: LineApiConfig;
let tenant: Tenant;
let other: Tenant;
let channel: PlainChannel;
let actor: { staffUserId: string; ip: string };

const POINT = { latitude: 34.2251, longitude: 135.1702 };

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  receiver = await startWebhookReceiver(dbs.appDb, key);
  line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } };
  tenant = await makeTenant(dbs.appDb, { name: "対応テスト市" });
  other = await makeTenant(dbs.appDb, { name: "よその町" });
  channel = await makeLineChannel(dbs.appDb, key, tenant.id);
  await ctl.registerChannel({ ...channel, webhookUrl: receiver.url(tenant.id) });
  const staff = await makeStaff(dbs.appDb, { tenantId: tenant.id });
  actor = { staffUserId: staff.user.id, ip: "203.0.113.5" };
  await withTenant(dbs.appDb, tenant.id, (tx) =>
    saveReportSettings(tx, tenant.id, { bounds: { south: 34.1, west: 135.0, north: 34.35, east: 135.35 } }),
  );
});
afterAll(async () => {
  await receiver.close();
  await emu.close();
  await closeRedis();
  await dbs.close();
});

const relay = () => relayAndProcess(dbs.appDb, { smtpPort: 9, key, tenantId: tenant.id, line, appOrigin: ORIGIN });

async function friend(lang?: "en") {
  const user = await ctl.newUser();
  await ctl.events(channel.channelId, user, [{ type: "follow" }]);
  if (lang)
    await ctl.events(channel.channelId, user, [{ type: "postback", postback: { data: `survey=language&v=${lang}` } }]);
  await relay();
  return user;
}

const newReport = (reporter: string | null, category = "道路の穴・段差", t = tenant) =>
  withTenant(dbs.appDb, t.id, (tx) =>
    createReport(tx, t.id, {
      category,
      point: POINT,
      area: "本町",
      landmark: "郵便局の前",
      description: "穴があります",
      source: "line",
      reporterLineUserId: reporter,
      reporterEmail: null,
    }),
  );

const pushes = async (user: string) => (await ctl.sent(channel.channelId, user)).filter((s) => s.kind === "push");
type Msg = { type: string; text?: string; originalContentUrl?: string };

describe("state changes reach the reporter and followers", () => {
  it("対応中 with a note, then 完了 with an after-photo, each in the friend's language; history kept", async () => {
    const reporter = await friend();
    const follower = await friend("en");
    const report = await newReport(reporter);
    await withTenant(dbs.appDb, tenant.id, (tx) => followReport(tx, tenant.id, report.id, follower));

    const r1 = await changeReportState(
      dbs.appDb,
      tenant.id,
      report.id,
      { state: "in_progress", note: "来週補修します", department: "道路河川課" },
      actor,
    );
    expect(r1.ok).toBe(true);
    await relay();
    const [ja] = await pushes(reporter);
    expect((ja!.messages as Msg[])[0]!.text).toContain(
      `通報 ${report.number}（道路の穴・段差）の状況が「対応中」になりました。`,
    );
    expect((ja!.messages as Msg[])[0]!.text).toContain("来週補修します");
    const [en] = await pushes(follower);
    expect((en!.messages as Msg[])[0]!.text).toContain(
      `Report ${report.number} (道路の穴・段差) is now “In progress”.`,
    );

    const r2 = await changeReportState(
      dbs.appDb,
      tenant.id,
      report.id,
      { state: "fixed", note: "補修しました", afterPhoto: await phoneJpeg() },
      actor,
    );
    expect(r2.ok).toBe(true);
    await relay();
    const done = (await pushes(reporter)).at(-1)!.messages as Msg[];
    expect(done[0]!.text).toContain("「完了」");
    expect(done[1]!.type).toBe("image");
    const token = /report-photos\/([A-Za-z0-9_-]+)$/.exec(done[1]!.originalContentUrl!)![1]!;
    const bytes = await publicAfterPhoto(dbs.appDb, tenant.id, token, "full");
    expect(bytes).not.toBeNull();
    expect(await exifr.parse(bytes!).catch(() => undefined)).toBeUndefined();
    // The public URL answers for after-photos only, and only in this city.
    expect(await publicAfterPhoto(dbs.appDb, other.id, token, "full")).toBeNull();

    const detail = (await reportDetail(dbs.appDb, tenant.id, report.id))!;
    expect(detail.events.map((e) => [e.fromState, e.toState])).toEqual([
      ["received", "in_progress"],
      ["in_progress", "fixed"],
    ]);
    expect(detail.report.state).toBe("fixed");
    expect(detail.report.department).toBe("道路河川課");
    // 担当課 is for staff: no push carries it.
    expect(JSON.stringify(await ctl.sent(channel.channelId))).not.toContain("道路河川課");
  });

  it("a bad after-photo or an unknown state changes nothing", async () => {
    const report = await newReport(null);
    const bad = await changeReportState(
      dbs.appDb,
      tenant.id,
      report.id,
      { state: "fixed", note: "", afterPhoto: Buffer.from("not a photo") },
      actor,
    );
    expect(bad).toMatchObject({ ok: false });
    expect(await changeReportState(dbs.appDb, tenant.id, report.id, { state: "gone", note: "" }, actor)).toMatchObject({
      ok: false,
    });
    expect((await reportDetail(dbs.appDb, tenant.id, report.id))!.report.state).toBe("received");
  });

  it("merging a duplicate moves its reporter and followers to the original and tells them the number", async () => {
    const a = await friend();
    const b = await friend();
    const original = await newReport(null, "街灯の故障");
    const dup = await newReport(a, "街灯の故障");
    await withTenant(dbs.appDb, tenant.id, (tx) => followReport(tx, tenant.id, dup.id, b));
    const r = await mergeReport(dbs.appDb, tenant.id, dup.id, original.number.toLowerCase(), actor);
    expect(r).toEqual({ ok: true, value: { into: original.number } });
    await relay();
    expect(((await pushes(a)).at(-1)!.messages as Msg[])[0]!.text).toContain(
      `受付番号 ${original.number} にまとめました`,
    );
    const followers = await withTenant(dbs.appDb, tenant.id, (tx) =>
      tx.select().from(reportFollowers).where(eq(reportFollowers.reportId, original.id)),
    );
    expect(followers.map((f) => f.lineUserId).sort()).toEqual([a, b].sort());
    expect(await mergeReport(dbs.appDb, tenant.id, dup.id, "R-NOSUCH2", actor)).toMatchObject({ ok: false });
  });
});

describe("staff views", () => {
  it("filters the list; photo views and CSV exports are audited; another city sees nothing", async () => {
    const report = await newReport(null, "不法投棄");
    const photo = await withTenant(dbs.appDb, tenant.id, async (tx) => {
      const { storePhoto } = await import("~/features/reports/photo-store.server");
      const { processPhoto } = await import("~/features/reports/photos.server");
      const p = await processPhoto(await phoneJpeg());
      if (!p.ok) throw new Error("fixture");
      return storePhoto(tx, tenant.id, p.photo, { reportId: report.id, kind: "report" });
    });
    const listed = await listReports(dbs.appDb, tenant.id, { category: "不法投棄" });
    expect(listed.map((r) => r.number)).toEqual([report.number]);
    expect(listed[0]!.photos).toBe(1);
    expect(await listReports(dbs.appDb, tenant.id, { category: "不法投棄", olderThanDays: 3 })).toEqual([]);

    expect(await viewReportPhoto(dbs.appDb, other.id, photo.id, "full", actor)).toBeNull();
    expect(await viewReportPhoto(dbs.appDb, tenant.id, photo.id, "thumb", actor)).not.toBeNull();
    const csv = await reportsCsvText(dbs.appDb, tenant.id, { category: "不法投棄" }, actor);
    expect(csv).toContain(report.number);
    expect(csv).toContain("郵便局の前");
    const audits = await dbs.ownerDb
      .select({ action: auditLog.action, targetId: auditLog.targetId })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.actorId, actor.staffUserId)));
    expect(audits).toContainEqual({ action: "report.photo_view", targetId: photo.id });
    expect(audits.map((a) => a.action)).toContain("report.export");

    expect(await reportDetail(dbs.appDb, other.id, report.id)).toBeNull();
    expect(await listReports(dbs.appDb, other.id, {})).toEqual([]);
  });
});

describe("Open311 GeoReport v2", () => {
  it("services are public; requests need a key of this city; POST creates without reporter identity", async () => {
    const services = (await open311Services(dbs.appDb, tenant.id)).body as {
      service_code: string;
      service_name: string;
    }[];
    const road = services.find((s) => s.service_name === "道路の穴・段差")!;
    expect(road.service_code).toMatch(/^[0-9a-f]{8}$/);

    const none = await open311Requests(dbs.appDb, tenant.id, new URLSearchParams());
    expect(none.status).toBe(401);
    const k = await addOpen311Key(dbs.appDb, tenant.id, "道路管理システム", actor);
    if (!k.ok) throw new Error(k.message);
    const foreignKey = await addOpen311Key(dbs.appDb, other.id, "よその連携", actor);
    if (!foreignKey.ok) throw new Error(foreignKey.message);
    expect(
      (await open311Requests(dbs.appDb, tenant.id, new URLSearchParams({ api_key: foreignKey.value }))).status,
    ).toBe(401);

    const post = (fields: Record<string, string>) => open311Create(dbs.appDb, tenant.id, new URLSearchParams(fields));
    expect((await post({ service_code: road.service_code, lat: "34.2", long: "135.2" })).status).toBe(401);
    expect(
      (await post({ api_key: k.value, service_code: road.service_code, lat: "35.68", long: "139.76" })).status,
    ).toBe(400);
    expect((await post({ api_key: k.value, service_code: "nope", lat: "34.2", long: "135.2" })).status).toBe(400);
    const created = await post({
      api_key: k.value,
      service_code: road.service_code,
      lat: "34.2",
      long: "135.2",
      description: "段差があります",
      email: "someone@example.jp",
      first_name: "太郎",
    });
    expect(created.status).toBe(201);
    const [{ service_request_id: number }] = created.body as { service_request_id: string }[];
    const [row] = await withTenant(dbs.appDb, tenant.id, (tx) =>
      tx
        .select()
        .from(reports)
        .where(and(eq(reports.tenantId, tenant.id), eq(reports.number, number))),
    );
    expect(row).toMatchObject({ source: "open311", reporterEmail: null, reporterLineUserId: null });

    const one = await open311Request(dbs.appDb, tenant.id, number, k.value);
    expect(one.status).toBe(200);
    const body = JSON.stringify(one.body);
    expect(body).toContain('"status":"open"');
    expect(body).not.toContain("someone@example.jp");
    expect(body).not.toContain("太郎");
    const lineReport = await newReport("Uabcdef0123456789abcdef0123456789");
    const list = await open311Requests(dbs.appDb, tenant.id, new URLSearchParams({ api_key: k.value }));
    expect(JSON.stringify(list.body)).toContain(lineReport.number);
    expect(JSON.stringify(list.body)).not.toContain("Uabcdef0123456789abcdef0123456789");
    // Another city's key and another city's numbers: nothing.
    expect((await open311Request(dbs.appDb, other.id, number, foreignKey.value)).status).toBe(404);
  });
});

describe("the web form", () => {
  it("refuses bad input field by field and stores nothing; a good report keeps the photo without metadata", async () => {
    const t = { id: tenant.id, areas: ["本町", "港"] };
    const before = await listReports(dbs.appDb, tenant.id, {});
    const bad = await submitWebReport(dbs.appDb, t, {
      category: "空飛ぶ円盤",
      area: "月面",
      landmark: "",
      description: "あ".repeat(501),
      email: "not-an-address",
      photo: Buffer.from("GIF89a not really"),
    });
    expect(bad).toEqual({
      ok: false,
      errors: {
        category: "reports:web.error.category",
        area: "reports:web.error.area",
        landmark: "reports:web.error.landmark",
        description: "reports:web.error.description",
        email: "reports:web.error.email",
        photo: "reports:web.error.photo.not-image",
      },
    });
    expect(await listReports(dbs.appDb, tenant.id, {})).toHaveLength(before.length);
    const good = await submitWebReport(dbs.appDb, t, {
      category: "道路の陥没で危険",
      area: "本町",
      landmark: "本町商店街の入口",
      description: "道路が陥没しています",
      email: "resident@example.jp",
      photo: await phoneJpeg(),
    });
    if (!good.ok) throw new Error(JSON.stringify(good.errors));
    expect(good.emergency).toBe(true);
    const [row] = await withTenant(dbs.appDb, tenant.id, (tx) =>
      tx
        .select()
        .from(reports)
        .where(and(eq(reports.tenantId, tenant.id), eq(reports.number, good.number))),
    );
    expect(row).toMatchObject({ source: "web", reporterEmail: "resident@example.jp", area: "本町", latitude: null });
    const detail = (await reportDetail(dbs.appDb, tenant.id, row!.id))!;
    expect(detail.photos).toHaveLength(1);
    const bytes = await viewReportPhoto(dbs.appDb, tenant.id, detail.photos[0]!.id, "full", actor);
    expect(await exifr.parse(bytes!).catch(() => undefined)).toBeUndefined();
  });
});
