import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, sql } from "drizzle-orm";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "#db/client.server";
import { auditLog, rosterImports, ticketHolders, type Tenant } from "#db/schema/index";
import { hashTicketForTenant, verifyTicketHolder } from "~/features/reservations/identity.server";
import { importRosterFile, SYSTEM_ERROR } from "~/features/roster/roster-import.server";
import {
  CONFLICT_REASON,
  getRosterImport,
  INTERRUPTED_REASON,
  listRosterImports,
} from "~/features/roster/roster-store.server";
import { closeRedis } from "~/lib/redis.server";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
const dir = mkdtempSync(join(tmpdir(), "mdg-roster-test-"));
const today = "2026-11-21";
let city: Tenant;
let staffId: string;
let fileSeq = 0;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "名簿テスト市" });
  staffId = (await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" })).user.id;
});
afterAll(async () => {
  await closeDb(); // the pool the route modules use (getDb)
  await closeRedis();
  await dbs.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeCsv(text: string, encoding: "utf-8" | "utf-8-bom" | "cp932" = "utf-8") {
  const path = join(dir, `roster-${++fileSeq}.csv`);
  const bytes =
    encoding === "cp932"
      ? iconv.encode(text, "cp932")
      : Buffer.from((encoding === "utf-8-bom" ? "\ufeff" : "") + text, "utf8");
  writeFileSync(path, bytes);
  return path;
}
const importCsv = (tenantId: string, path: string, batchSize?: number) =>
  importRosterFile(dbs.appDb, { tenantId, path, filename: "名簿.csv", staffUserId: staffId, today, batchSize });

async function holderDates(tenantId: string, tickets: string[]) {
  const hashes = tickets.map((t) => hashTicketForTenant(tenantId, t));
  const rows = await dbs.ownerDb.select().from(ticketHolders).where(eq(ticketHolders.tenantId, tenantId));
  return tickets.map((_, i) => rows.find((r) => r.ticketHash === hashes[i])?.birthDate ?? null);
}
const holderCount = async (tenantId: string) =>
  (
    await dbs.ownerDb
      .select({ n: sql<number>`count(*)::int` })
      .from(ticketHolders)
      .where(eq(ticketHolders.tenantId, tenantId))
  )[0]!.n;

describe("roster import", () => {
  it("imports a UTF-8 file with BOM: extra columns ignored, full-width numbers and era dates, only hashes stored, audited", async () => {
    const csv = [
      "氏名,接種券番号,住所,生年月日(西暦)",
      "紀ノ川 花子,１１１１１１１１０１,本町1-1,昭和35年1月1日",
      "紀ノ川 太郎,1111-111-102,本町1-1,H1.1.8",
      "",
      "岩出 次郎,1111111103,本町2-3,2019/5/1",
      '"粉河, 三郎",1111111104,"本町3-4",19600229',
    ].join("\r\n");
    const r = await importCsv(city.id, writeCsv(csv, "utf-8-bom"));
    expect(r).toMatchObject({ status: "completed", rowsTotal: 4, rowsImported: 4, rowsUnchanged: 0 });
    expect(await holderDates(city.id, ["1111111101", "1111111102", "1111111103", "1111111104"])).toEqual([
      "1960-01-01",
      "1989-01-08",
      "2019-05-01",
      "1960-02-29",
    ]);

    const [row] = await dbs.ownerDb.select().from(rosterImports).where(eq(rosterImports.id, r.importId));
    expect(row).toMatchObject({
      status: "completed",
      rowsTotal: 4,
      rowsImported: 4,
      errors: [],
      createdByStaffId: staffId,
    });
    expect(row!.finishedAt).not.toBeNull();
    const [audit] = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.targetId, r.importId)));
    expect(audit).toMatchObject({ action: "roster.import", actorKind: "staff", actorId: staffId });
    expect(audit!.detail).toEqual({
      status: "completed",
      filename: "名簿.csv",
      rowsTotal: 4,
      rowsImported: 4,
      rowsUnchanged: 0,
      errorCount: 0,
    });

    // Neither the plain number nor the names/addresses of other columns are anywhere in the database.
    const dump =
      JSON.stringify(await dbs.ownerDb.execute(sql`select * from ticket_holders where tenant_id = ${city.id}`)) +
      JSON.stringify(row) +
      JSON.stringify(audit);
    for (const secret of ["1111111101", "111111110", "花子", "本町"]) expect(dump).not.toContain(secret);
  });

  it("imports a Shift_JIS (CP932) file, including CP932-only characters in ignored columns", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const csv = "接種券番号,氏名,生年月日\r\n2222222201,髙橋 ①,S45.3.3\r\n2222222202,﨑山,平成元年1月8日\r\n";
    const r = await importCsv(tenant.id, writeCsv(csv, "cp932"));
    expect(r).toMatchObject({ status: "completed", rowsTotal: 2, rowsImported: 2 });
    expect(await holderDates(tenant.id, ["2222222201", "2222222202"])).toEqual(["1970-03-03", "1989-01-08"]);
  });

  it("is all-or-nothing: one bad row registers nothing, and the report lists every bad row with masked numbers", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const csv = [
      "券番号,生年月日",
      "3333333301,1960-01-01",
      "333333330,1960-01-02", // 9 digits
      "3333333303,昭和64年1月8日", // outside 昭和
      "3333333304,1960-02-30",
      "3333333305,1960-01-05",
    ].join("\n");
    const r = await importCsv(tenant.id, writeCsv(csv));
    expect(r.status).toBe("failed");
    if (r.status !== "failed") return;
    expect(r.errors).toEqual([
      { line: 3, reason: "接種券番号は10桁の数字にしてください（入力: *****3330、9文字）。" },
      { line: 4, reason: "昭和64年1月8日は昭和の期間外です（昭和は1989年1月7日まで）。" },
      { line: 5, reason: "2月30日は存在しない日付です。" },
    ]);
    expect(r.errorCount).toBe(3);
    expect(await holderCount(tenant.id)).toBe(0);
    const stored = await getRosterImport(dbs.appDb, tenant.id, r.importId);
    expect(stored).toMatchObject({
      status: "failed",
      rowsTotal: 5,
      rowsImported: 0,
      errors: r.errors,
      createdByName: expect.any(String),
    });
    const [audit] = await dbs.ownerDb.select().from(auditLog).where(eq(auditLog.targetId, r.importId));
    expect(audit!.detail).toMatchObject({ status: "failed", rowsTotal: 5, rowsImported: 0, errorCount: 3 });
  });

  it("reports duplicate ticket numbers within a file against their first line", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const csv =
      "接種券番号,生年月日\n4444444401,1960-01-01\n4444444402,1960-01-02\n４４４４４４４４０１,1960-01-01\n4444444402,1970-01-01\n";
    const r = await importCsv(tenant.id, writeCsv(csv));
    expect(r).toMatchObject({
      status: "failed",
      errors: [
        { line: 4, reason: "接種券番号（******4401）が2行目と重複しています。" },
        { line: 5, reason: "接種券番号（******4402）が3行目と重複しています。" },
      ],
    });
    expect(await holderCount(tenant.id)).toBe(0);
  });

  it("leaves holders already registered with the same birth date unchanged, and refuses a different birth date", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const first = await importCsv(
      tenant.id,
      writeCsv("接種券番号,生年月日\n5555555501,1960-01-01\n5555555502,1961-01-01\n"),
    );
    expect(first).toMatchObject({ status: "completed", rowsImported: 2 });

    const again = await importCsv(
      tenant.id,
      writeCsv("接種券番号,生年月日\n5555555501,S35.1.1\n5555555503,1962-01-01\n"),
    );
    expect(again).toMatchObject({ status: "completed", rowsTotal: 2, rowsImported: 1, rowsUnchanged: 1 });

    const conflict = await importCsv(
      tenant.id,
      writeCsv("接種券番号,生年月日\n5555555504,1963-01-01\n5555555502,1961-01-02\n"),
    );
    expect(conflict).toMatchObject({
      status: "failed",
      errors: [{ line: 3, reason: `${CONFLICT_REASON}（接種券番号 ******5502）。` }],
    });
    expect(await holderDates(tenant.id, ["5555555501", "5555555502", "5555555503", "5555555504"])).toEqual([
      "1960-01-01",
      "1961-01-01",
      "1962-01-01",
      null,
    ]);
  });

  it("refuses a file without the needed columns, and an empty file", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const noColumn = await importCsv(tenant.id, writeCsv("氏名,生年月日\n紀ノ川 花子,1960-01-01\n"));
    expect(noColumn).toMatchObject({
      status: "failed",
      errors: [{ line: 0, reason: expect.stringContaining("「接種券番号」の列がありません") }],
    });
    const empty = await importCsv(tenant.id, writeCsv("\n\n"));
    expect(empty).toMatchObject({
      status: "failed",
      errors: [{ line: 0, reason: expect.stringContaining("ファイルが空です") }],
    });
    const headerOnly = await importCsv(tenant.id, writeCsv("接種券番号,生年月日\n"));
    expect(headerOnly).toMatchObject({
      status: "failed",
      errors: [{ line: 0, reason: "見出しの行のほかにデータの行がありません。" }],
    });
  });

  it("stores the first 1,000 errors and says how many more there are", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const rows = Array.from({ length: 1500 }, (_, i) => `${String(6_000_000_000 + i)},1960-13-01`);
    const r = await importCsv(tenant.id, writeCsv(["接種券番号,生年月日", ...rows].join("\n")), 200);
    expect(r).toMatchObject({ status: "failed", errorCount: 1500 });
    const stored = await getRosterImport(dbs.appDb, tenant.id, r.importId);
    expect(stored!.errors).toHaveLength(1001);
    expect(stored!.errors[999]).toEqual({ line: 1001, reason: "13月という月はありません。" });
    expect(stored!.errors[1000]).toEqual({
      line: 0,
      reason: "ほかに500件のエラーがあります（先頭の1,000件のみ表示しています）。",
    });
  });

  it("writes progress on its own connection while the import's transaction is still open", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const total = 40_000;
    const rows = Array.from({ length: total }, (_, i) => `${String(7_000_000_000 + i)},1950-01-01`);
    const path = writeCsv(["接種券番号,生年月日", ...rows].join("\r\n") + "\r\n", "cp932");
    const seen: { status: string; rowsTotal: number; rowsImported: number; holders: number }[] = [];
    let done = false;
    const watcher = (async () => {
      while (!done) {
        const [row] = await dbs.ownerDb.select().from(rosterImports).where(eq(rosterImports.tenantId, tenant.id));
        if (row)
          seen.push({
            status: row.status,
            rowsTotal: row.rowsTotal,
            rowsImported: row.rowsImported,
            holders: await holderCount(tenant.id),
          });
      }
    })();
    const r = await importCsv(tenant.id, path).finally(() => (done = true));
    await watcher;
    expect(r).toMatchObject({ status: "completed", rowsTotal: total, rowsImported: total });
    const running = seen.filter((s) => s.status === "running");
    const midway = running.filter((s) => s.rowsImported > 0 && s.rowsImported < total);
    expect(midway.length).toBeGreaterThan(0);
    // From the first batch on, the total is known (estimated from the file), and nobody sees a half import.
    for (const s of midway) expect(s).toMatchObject({ rowsTotal: total, holders: 0 });
    expect(running.map((s) => s.rowsImported)).toEqual([...running.map((s) => s.rowsImported)].sort((a, b) => a - b));
    expect(await holderCount(tenant.id)).toBe(total);
  });

  it("runs one import per city at a time: a second one waits, queued, until the first has committed", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const rows = Array.from({ length: 30_000 }, (_, i) => `${String(8_000_000_000 + i)},1950-01-01`);
    const first = importCsv(tenant.id, writeCsv(["接種券番号,生年月日", ...rows].join("\n")));
    // Wait until the first import has staged a batch (so it holds the city's lock).
    const statuses = async () =>
      (
        await dbs.ownerDb
          .select()
          .from(rosterImports)
          .where(eq(rosterImports.tenantId, tenant.id))
          .orderBy(rosterImports.createdAt)
      ).map((r) => r.status);
    for (;;) {
      const [row] = await dbs.ownerDb.select().from(rosterImports).where(eq(rosterImports.tenantId, tenant.id));
      if (row && row.rowsImported > 0) break;
      if (row && row.status !== "running" && row.status !== "queued")
        throw new Error(`first import ended early: ${row.status}`);
    }
    let secondDone = false;
    const second = importCsv(tenant.id, writeCsv("接種券番号,生年月日\n8100000001,1960-01-01\n")).finally(
      () => (secondDone = true),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(secondDone).toBe(false);
    expect(await statuses()).toEqual(["running", "queued"]);
    expect(await first).toMatchObject({ status: "completed", rowsImported: 30_000 });
    expect(await second).toMatchObject({ status: "completed", rowsImported: 1 });
    expect(await holderCount(tenant.id)).toBe(30_001);
  });

  it("marks the import failed when the system fails, and says so without details", async () => {
    const tenant = await makeTenant(dbs.appDb);
    await expect(importCsv(tenant.id, join(dir, "missing.csv"))).rejects.toThrow(/ENOENT/);
    const [row] = await dbs.ownerDb.select().from(rosterImports).where(eq(rosterImports.tenantId, tenant.id));
    expect(row).toMatchObject({ status: "failed", rowsImported: 0, errors: [{ line: 0, reason: SYSTEM_ERROR }] });
  });

  it("marks an import left running by a dead worker (no lock, no write for 10 minutes) as interrupted when the list is read", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const ago = (min: number) => new Date(Date.now() - min * 60_000);
    const [stale] = await dbs.ownerDb
      .insert(rosterImports)
      .values({ tenantId: tenant.id, filename: "old.csv", status: "running", createdAt: ago(30), updatedAt: ago(15) })
      .returning();
    // Written 2 minutes ago: its job may still be restarted by BullMQ (stalled-job check).
    const [recent] = await dbs.ownerDb
      .insert(rosterImports)
      .values({ tenantId: tenant.id, filename: "recent.csv", status: "running", createdAt: ago(30), updatedAt: ago(2) })
      .returning();
    // Queued for long: left to the worker and the retention purge.
    const [queued] = await dbs.ownerDb
      .insert(rosterImports)
      .values({ tenantId: tenant.id, filename: "queued.csv", status: "queued", createdAt: ago(30), updatedAt: ago(30) })
      .returning();
    const list = (await listRosterImports(dbs.appDb, tenant.id)).items;
    expect(list.find((i) => i.id === stale!.id)).toMatchObject({ status: "failed" });
    expect(list.find((i) => i.id === recent!.id)).toMatchObject({ status: "running" });
    expect(list.find((i) => i.id === queued!.id)).toMatchObject({ status: "queued" });
    expect((await getRosterImport(dbs.appDb, tenant.id, stale!.id))!.errors).toEqual([
      { line: 0, reason: INTERRUPTED_REASON },
    ]);
  });

  it("lets an imported holder pass the ticket check; a number not on the roster does not", async () => {
    const tenant = await makeTenant(dbs.appDb);
    await importCsv(tenant.id, writeCsv("接種券番号,生年月日\n9999999901,S35.1.1\n", "cp932"));
    const ok = await verifyTicketHolder(dbs.appDb, {
      tenantId: tenant.id,
      ticketNumber: "９９９９９９９９０１",
      birthDate: "1960-01-01",
      ip: "192.0.2.10",
    });
    expect(ok).toMatchObject({ ok: true, birthDate: "1960-01-01" });
    const wrongDate = await verifyTicketHolder(dbs.appDb, {
      tenantId: tenant.id,
      ticketNumber: "9999999901",
      birthDate: "1960-01-02",
      ip: "192.0.2.10",
    });
    expect(wrongDate.ok).toBe(false);
    const unknown = await verifyTicketHolder(dbs.appDb, {
      tenantId: tenant.id,
      ticketNumber: "0000000000",
      birthDate: "1960-01-01",
      ip: "192.0.2.10",
    });
    expect(unknown).toMatchObject({ ok: false, reason: "invalid" });
    // Another city's roster does not know this resident.
    const elsewhere = await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "9999999901",
      birthDate: "1960-01-01",
      ip: "192.0.2.10",
    });
    expect(elsewhere.ok).toBe(false);
  });
});
