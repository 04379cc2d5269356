import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import { auditLog, outbox, statusChanges, statusLookupRows, type StatusLookup, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { checkStatus, subscribeIn } from "~/features/status-lookup/check.server";
import { answerWebForm } from "~/features/status-lookup/public.server";
import { makeStaff } from "#tests/factories/staff";
import { importCsv, makeLookup } from "#tests/factories/status-lookup";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/** Issue 19: the status lookup's import, check and change notices against real PostgreSQL and Redis. */
const dbs = testDbs();
let city: Tenant;
let other: Tenant;
let staffId: string;
let lookup: StatusLookup;
const NOW = new Date("2026-12-08T03:00:00Z");

const HEADER = "申請番号,生年月日,状況,日付\n";

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "状況テスト市" });
  other = await makeTenant(dbs.appDb, { name: "よその町" });
  staffId = (await makeStaff(dbs.appDb, { tenantId: city.id })).user.id;
  lookup = await makeLookup(dbs.appDb, city.id, staffId);
});
afterAll(() => dbs.close());

const check = (key: string, birthDate: string, ip = "192.0.2.50", tenant = city, lookupId = lookup.id) =>
  checkStatus(dbs.appDb, { tenantId: tenant.id, lookupId, key, birthDate, ip, lang: "ja", now: NOW });

describe("import", () => {
  it("refuses a file with bad rows, naming every line, and stores nothing", async () => {
    const csv =
      HEADER +
      "12345678,1960-01-01,受付済み,\n" +
      "1234567,1960-01-01,受付済み,\n" + // 7 digits
      "22345678,1960-02-30,受付済み,\n" + // no such date
      "32345678,1960-01-01,却下,\n" + // not a status of the lookup
      "12345678,1970-01-01,審査中,\n" + // duplicate of line 2
      "42345678,1960-01-01,振込予定,\n"; // needs a date
    const { outcome } = await importCsv(dbs.appDb, city.id, lookup.id, staffId, csv);
    expect(outcome.status).toBe("failed");
    const lines = outcome.status === "failed" ? outcome.errors.map((e) => e.line) : [];
    expect(lines).toEqual([3, 4, 5, 6, 7]);
    const errors = outcome.status === "failed" ? outcome.errors : [];
    expect(errors.find((e) => e.line === 5)!.reason).toContain("却下");
    expect(errors.find((e) => e.line === 6)!.reason).toContain("2行目と重複");
    expect(await dbs.ownerDb.select().from(statusLookupRows).where(eq(statusLookupRows.lookupId, lookup.id))).toEqual(
      [],
    );
  });

  it("imports Shift_JIS with era dates and full-width digits, storing only keyed hashes", async () => {
    const csv =
      HEADER +
      "１２３４５６７８,昭和35年1月1日,受付済み,\n" +
      "22345678,S40.5.5,審査中,\n" +
      "32345678,1980/3/3,振込予定,令和8年12月25日\n";
    const { outcome } = await importCsv(dbs.appDb, city.id, lookup.id, staffId, iconv.encode(csv, "Shift_JIS"));
    expect(outcome).toMatchObject({ status: "completed", rowsTotal: 3, added: 3, changed: 0 });
    const rows = await dbs.ownerDb.select().from(statusLookupRows).where(eq(statusLookupRows.lookupId, lookup.id));
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.keyHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(r)).not.toContain("12345678");
    }
    expect(rows.find((r) => r.keyTail === "5678" && r.birthDate === "1960-01-01")?.status).toBe("s1");
  });

  it("answers the status text, and a wrong key and a wrong birth date the same", async () => {
    expect(await check("12345678", "1960-01-01")).toMatchObject({ kind: "found", label: "受付済み" });
    const dated = await check("3234-5678", "1980-03-03");
    expect(dated).toMatchObject({ kind: "found", text: "振込予定日は令和8年12月25日(金)です。" });
    expect(await check("12345678", "1960-01-02")).toEqual({ kind: "notFound" });
    expect(await check("99999999", "1960-01-01")).toEqual({ kind: "notFound" });
    expect(await check("abc", "1960-01-01")).toEqual({ kind: "notFound" });
  });

  it("another city sees nothing of this lookup", async () => {
    expect(await check("12345678", "1960-01-01", "192.0.2.51", other)).toEqual({ kind: "unknownLookup" });
  });

  it("a re-import records what changed and queues one notice per followed change", async () => {
    const row = (
      await dbs.ownerDb
        .select()
        .from(statusLookupRows)
        .where(and(eq(statusLookupRows.lookupId, lookup.id), eq(statusLookupRows.keyTail, "5678")))
    ).find((r) => r.birthDate === "1960-01-01")!;
    await withTenant(dbs.appDb, city.id, (tx) =>
      subscribeIn(tx, { tenantId: city.id, rowId: row.id, lang: "ja", lineUserId: `U${"b".repeat(32)}` }),
    );
    const csv = HEADER + "12345678,1960-01-01,振込予定,2027-01-15\n" + "22345678,1965-05-05,審査中,\n";
    const { importId, outcome } = await importCsv(dbs.appDb, city.id, lookup.id, staffId, csv);
    expect(outcome).toMatchObject({ status: "completed", added: 0, changed: 1 });
    const changes = await dbs.ownerDb.select().from(statusChanges).where(eq(statusChanges.importId, importId));
    expect(changes).toMatchObject([{ rowId: row.id, fromStatus: "s1", toStatus: "s3" }]);
    const notices = await dbs.ownerDb
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, city.id), eq(outbox.jobName, "send-status-notice")));
    expect(notices.map((n) => n.payload)).toEqual([{ tenantId: city.id, changeId: changes[0]!.id }]);
    // The same file again changes nothing and queues nothing.
    const again = await importCsv(dbs.appDb, city.id, lookup.id, staffId, csv);
    expect(again.outcome).toMatchObject({ status: "completed", added: 0, changed: 0 });
  });
});

describe("limits and phases", () => {
  it("a stranger's failures from one address hold only that address", async () => {
    for (let i = 0; i < 30; i++) await check(`5${String(i).padStart(7, "0")}`, "1960-01-01", "198.51.100.7");
    expect(await check("12345678", "1960-01-01", "198.51.100.7")).toEqual({ kind: "throttled" });
    // The owner elsewhere still gets the answer.
    expect(await check("12345678", "1960-01-01", "198.51.100.8")).toMatchObject({ kind: "found" });
  });

  it("closed and not-yet-open lookups say so", async () => {
    const closed = await makeLookup(dbs.appDb, city.id, staffId, { opensOn: "2026-01-01", closesOn: "2026-03-31" });
    const later = await makeLookup(dbs.appDb, city.id, staffId, { opensOn: "2027-01-01", closesOn: "2027-03-31" });
    expect(await check("12345678", "1960-01-01", "192.0.2.60", city, closed.id)).toEqual({ kind: "closed" });
    expect(await check("12345678", "1960-01-01", "192.0.2.60", city, later.id)).toEqual({ kind: "notOpen" });
  });
});

describe("staff views", () => {
  it("lists counts per status and checks per day, imports with their diff; the refusal report view is audited", async () => {
    const { getLookup, listImports, viewImportReport } = await import("~/features/status-lookup/admin.server");
    const summary = await getLookup(dbs.appDb, city.id, lookup.id, NOW);
    expect(summary!.counts.find((c) => c.label === "振込予定")!.rows).toBe(2);
    expect(summary!.days[0]!.found).toBeGreaterThan(0);
    const imports = await listImports(dbs.appDb, city.id, lookup.id);
    expect(imports.some((i) => i.changes.some((c) => c.fromStatus === "s1" && c.toStatus === "s3"))).toBe(true);
    const failed = imports.find((i) => i.status === "failed")!;
    expect("file" in failed).toBe(false);
    const report = await viewImportReport(dbs.appDb, city.id, lookup.id, failed.id, { staffUserId: staffId });
    expect(report!.errors.length).toBeGreaterThan(0);
    const audits = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "status_lookup.view_report")));
    expect(audits).toHaveLength(1);
    // Another city's staff get nothing.
    expect(await getLookup(dbs.appDb, other.id, lookup.id, NOW)).toBeNull();
    expect(await listImports(dbs.appDb, other.id, lookup.id)).toEqual([]);
  });
});

describe("web form", () => {
  const post = (fields: Record<string, string>, tenant = city) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return answerWebForm(dbs.appDb, {
      tenantId: tenant.id,
      lookupId: lookup.id,
      form,
      ip: "203.0.113.9",
      lang: "ja",
      now: NOW,
    });
  };

  it("answers a check, refuses a bad birth date politely, and opts in an e-mail only with a valid token", async () => {
    const found = await post({ intent: "check", key: "12345678", birthDate: "昭和35年1月1日" });
    expect(found.answer).toMatchObject({ kind: "answer", found: true, message: { key: "status:result.found" } });
    const token = (found.answer as { optInToken: string }).optInToken;
    expect(token).not.toContain("12345678");
    expect((await post({ intent: "check", key: "12345678", birthDate: "いつか" })).answer).toMatchObject({
      kind: "invalid",
      errors: { birthDate: { key: "status:line.badBirth" } },
    });
    expect((await post({ intent: "email", token: `${token}x`, email: "a@example.jp" })).answer).toMatchObject({
      kind: "optIn",
      ok: false,
    });
    expect((await post({ intent: "email", token, email: "not-an-address" })).answer).toMatchObject({ ok: false });
    expect((await post({ intent: "email", token, email: "a@example.jp" })).answer).toMatchObject({ ok: true });
    // The token is the city's: another city cannot use it, nor see the lookup.
    expect((await post({ intent: "email", token, email: "b@example.jp" }, other)).lookup).toBeNull();
  });
});

describe("editing", () => {
  it("keeps the codes of statuses that stay, so imported rows still answer; audited", async () => {
    const { updateLookup } = await import("~/features/status-lookup/admin.server");
    const reordered = [
      { code: "s1", label: "振込予定", text: "振込日は{{date}}です。" },
      { code: "s2", label: "受付済み", text: "受け付けました。" },
      { code: "s3", label: "取下げ", text: "申請は取り下げられました。" },
    ];
    const input = { ...lookup, statuses: reordered };
    expect(await updateLookup(dbs.appDb, city.id, lookup.id, input, { staffUserId: staffId })).toBe(true);
    expect(await check("12345678", "1960-01-01", "192.0.2.70")).toMatchObject({ kind: "found", label: "振込予定" });
    const { getLookup } = await import("~/features/status-lookup/admin.server");
    const after = await getLookup(dbs.appDb, city.id, lookup.id, NOW);
    expect(after!.statuses.map((s) => s.code)).toEqual(["s3", "s1", "s5"]);
    expect(await updateLookup(dbs.appDb, other.id, lookup.id, input, { staffUserId: staffId })).toBe(false);
  });
});
