import { and, asc, eq, sql } from "drizzle-orm";
import iconv from "iconv-lite";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { auditLog, outbox, rosterImports, rosterUploadChunks, ticketHolders, type Tenant } from "#db/schema/index";
import { processRosterImport } from "#jobs/processors/roster/roster-import";
import { purgeRetention } from "#jobs/processors/maintenance/purge-retention";
import { hashTicketForTenant } from "~/features/reservations/identity.server";
import { SYSTEM_ERROR } from "~/features/roster/roster-import.server";
import {
  EXPIRED_REASON,
  purgeRosterUploads,
  UPLOAD_CHUNK_BYTES,
  UPLOAD_GONE,
} from "~/features/roster/roster-queue.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { relayAndProcess } from "#tests/setup/jobs";
import { staffContext, tenantContext } from "~/tenants/context";
import * as importPage from "~/routes/c.$city.admin.roster.$importId";
import * as rosterPage from "~/routes/c.$city.admin.roster";

/**
 * The roster import in the worker (ADR 020): the admin upload stores the file in PostgreSQL and
 * queues a `roster-import` outbox job in the same transaction; the worker's processor streams the
 * stored pieces into the importer and deletes them. Against real PostgreSQL (and Redis for the relay).
 */
const dbs = testDbs();
const today = "2026-11-21";
const job = (tenantId: string, importId: string) =>
  processRosterImport({ db: dbs.appDb }, { tenantId, importId }, { today });

afterAll(async () => {
  await closeDb(); // the pool the route modules use (getDb)
  await closeRedis();
  await dbs.close();
});

async function adminOf(tenant: Tenant) {
  const admin = await makeStaff(dbs.appDb, { tenantId: tenant.id, role: "admin" });
  const context = new RouterContextProvider();
  context.set(tenantContext, tenant);
  context.set(staffContext, { user: admin.user, membership: admin.membership, sessionId: "s" });
  const base = `http://madoguchi.test/c/${tenant.slug}/admin/roster`;
  const args = (request: Request, params: Record<string, string> = {}) =>
    ({ request, context, params: { city: tenant.slug, ...params }, unstable_pattern: "" }) as never;
  return { admin, base, args };
}

/** Posts the file as the browser would (multipart) and returns the new import's id from the redirect. */
async function upload(
  tenant: Tenant,
  page: Awaited<ReturnType<typeof adminOf>>,
  bytes: Uint8Array,
  filename = "名簿.csv",
) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), filename);
  const response = (await rosterPage.action(
    page.args(new Request(page.base, { method: "POST", body: form })),
  )) as Response;
  expect(response.status).toBe(302);
  const location = response.headers.get("location")!;
  const importId = location.split("/").pop()!;
  expect(location).toBe(`/c/${tenant.slug}/admin/roster/${importId}`);
  return importId;
}

const viewImport = async (page: Awaited<ReturnType<typeof adminOf>>, importId: string) =>
  (await importPage.loader(page.args(new Request(`${page.base}/${importId}`), { importId }))).item;
const storedPieces = async (importId: string) =>
  await dbs.ownerDb
    .select({ seq: rosterUploadChunks.seq, data: rosterUploadChunks.data })
    .from(rosterUploadChunks)
    .where(eq(rosterUploadChunks.importId, importId))
    .orderBy(asc(rosterUploadChunks.seq));
const holderCount = async (tenantId: string) =>
  (
    await dbs.ownerDb
      .select({ n: sql<number>`count(*)::int` })
      .from(ticketHolders)
      .where(eq(ticketHolders.tenantId, tenantId))
  )[0]!.n;
const importAudits = async (importId: string) =>
  dbs.ownerDb
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, importId), eq(auditLog.action, "roster.import")));

/** `n` rows in CP932 with a name column, so a multi-byte character is likely cut at a piece boundary. */
function sjisRoster(n: number, first: number) {
  const rows = Array.from({ length: n }, (_, i) => `${String(first + i)},髙橋 﨑山 花子${i % 10},S35.1.1`);
  return iconv.encode(["接種券番号,氏名,生年月日", ...rows].join("\r\n") + "\r\n", "cp932");
}

describe("roster import through the worker", () => {
  let city: Tenant;
  let page: Awaited<ReturnType<typeof adminOf>>;
  beforeAll(async () => {
    city = await makeTenant(dbs.appDb, { name: "名簿ワーカー市" });
    page = await adminOf(city);
  });

  it("upload → file stored and job queued in one go (待機中) → relayed to the real worker queue → imported, stored file deleted", async () => {
    const bytes = sjisRoster(50_000, 1_300_000_000);
    expect(bytes.length).toBeGreaterThan(UPLOAD_CHUNK_BYTES); // several stored pieces
    const importId = await upload(city, page, bytes, "4月分.csv");

    // Queued, not started: the web process imported nothing, the whole file is in the database.
    const queued = await viewImport(page, importId);
    expect(queued).toMatchObject({
      status: "queued",
      filename: "4月分.csv",
      rowsTotal: 50_000,
      rowsImported: 0,
      createdByName: page.admin.user.displayName,
    });
    const pieces = await storedPieces(importId);
    expect(pieces.map((p) => p.seq)).toEqual(pieces.map((_, i) => i));
    expect(pieces.length).toBe(Math.ceil(bytes.length / UPLOAD_CHUNK_BYTES));
    expect(Buffer.concat(pieces.map((p) => p.data)).equals(Buffer.from(bytes))).toBe(true);
    expect(await holderCount(city.id)).toBe(0);
    // Tenant-scoped like every city table: another city's session sees none of the file.
    const other = await makeTenant(dbs.appDb);
    expect(
      await withTenant(dbs.appDb, other.id, (tx) =>
        tx.select().from(rosterUploadChunks).where(eq(rosterUploadChunks.importId, importId)),
      ),
    ).toEqual([]);
    const jobs = await dbs.ownerDb
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, city.id), eq(outbox.jobName, "roster-import")));
    expect(jobs.map((j) => j.payload)).toEqual([{ tenantId: city.id, importId }]);
    const [uploadAudit] = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, importId), eq(auditLog.action, "roster.upload")));
    expect(uploadAudit).toMatchObject({
      actorKind: "staff",
      actorId: page.admin.user.id,
      // Called as a route module, not through a server: no client address, and no header is
      // believed (ADR 026; tests/integration/client-address.test.ts covers the real server).
      ip: null,
      detail: { filename: "4月分.csv", bytes: bytes.length },
    });
    // The list shows it waiting, too.
    const list = await rosterPage.loader(page.args(new Request(page.base)));
    expect(list.imports.find((i) => i.id === importId)).toMatchObject({ status: "queued" });

    // The outbox relay hands it to BullMQ; a real worker on the "roster" queue runs the processor.
    const relayed = await relayAndProcess(dbs.appDb, {
      smtpPort: 1,
      key: masterKey(env().MADOGUCHI_MASTER_KEY),
      tenantId: city.id,
    });
    expect(relayed.relayed).toBe(1);
    expect(await viewImport(page, importId)).toMatchObject({
      status: "completed",
      rowsTotal: 50_000,
      rowsImported: 50_000,
      errors: [],
    });
    expect(await holderCount(city.id)).toBe(50_000);
    const [holder] = await dbs.ownerDb
      .select()
      .from(ticketHolders)
      .where(eq(ticketHolders.ticketHash, hashTicketForTenant(city.id, "1300049999")));
    expect(holder).toMatchObject({ birthDate: "1960-01-01", importId });
    expect(await storedPieces(importId)).toEqual([]);
    const [audit] = await importAudits(importId);
    expect(audit).toMatchObject({
      actorKind: "staff",
      actorId: page.admin.user.id,
      detail: { status: "completed", filename: "4月分.csv", rowsTotal: 50_000, rowsImported: 50_000 },
    });
  });

  it("a malformed CSV: nothing imported, the report lists the bad rows, the stored file is deleted", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const p = await adminOf(tenant);
    const csv = [
      "接種券番号,生年月日",
      "1400000001,1960-01-01",
      "14000000,1960-01-02",
      "1400000003,1960-02-30",
      "1400000004,1960-01-04",
    ].join("\n");
    const importId = await upload(tenant, p, Buffer.from(csv));
    expect((await storedPieces(importId)).length).toBe(1);
    expect(await job(tenant.id, importId)).toEqual({ status: "failed", rowsTotal: 4, errorCount: 2 });
    expect(await viewImport(p, importId)).toMatchObject({
      status: "failed",
      rowsImported: 0,
      errors: [
        { line: 3, reason: "接種券番号は10桁の数字にしてください（入力: ****0000、8文字）。" },
        { line: 4, reason: "2月30日は存在しない日付です。" },
      ],
    });
    expect(await holderCount(tenant.id)).toBe(0);
    expect(await storedPieces(importId)).toEqual([]);

    // Not even a CSV (an unclosed quote): the whole file is refused with one line saying why.
    const broken = await upload(
      tenant,
      p,
      Buffer.from('接種券番号,生年月日\n"1400000005,1960-01-05\n1400000006,1960-01-06\n'),
    );
    expect(await job(tenant.id, broken)).toMatchObject({ status: "failed", errorCount: 1 });
    expect((await viewImport(p, broken)).errors).toEqual([
      { line: 0, reason: expect.stringContaining("CSVの形式が正しくありません") },
    ]);
    expect(await storedPieces(broken)).toEqual([]);
    expect(await holderCount(tenant.id)).toBe(0);
  });

  it("a retried job on an import that has ended does nothing", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const p = await adminOf(tenant);
    const done = await upload(
      tenant,
      p,
      Buffer.from("接種券番号,生年月日\n1500000001,1960-01-01\n1500000002,1960-01-02\n"),
    );
    expect(await job(tenant.id, done)).toMatchObject({ status: "completed", rowsImported: 2 });
    const failed = await upload(tenant, p, Buffer.from("接種券番号,生年月日\n1500000003,1960-13-01\n"));
    expect(await job(tenant.id, failed)).toMatchObject({ status: "failed" });
    const before = await dbs.ownerDb
      .select()
      .from(rosterImports)
      .where(eq(rosterImports.tenantId, tenant.id))
      .orderBy(asc(rosterImports.createdAt));

    expect(await job(tenant.id, done)).toEqual({ status: "skipped", importId: done, current: "completed" });
    expect(await job(tenant.id, failed)).toEqual({ status: "skipped", importId: failed, current: "failed" });
    expect(
      await dbs.ownerDb
        .select()
        .from(rosterImports)
        .where(eq(rosterImports.tenantId, tenant.id))
        .orderBy(asc(rosterImports.createdAt)),
    ).toEqual(before);
    expect(await importAudits(done)).toHaveLength(1);
    expect(await importAudits(failed)).toHaveLength(1);
    expect(await holderCount(tenant.id)).toBe(2);
    // An import that no longer exists (its city was removed, say): nothing to do either.
    expect(await job(tenant.id, crypto.randomUUID())).toMatchObject({ status: "skipped", current: null });
  });

  it("a job cut off mid-way (worker crashed: row left running, nothing committed) starts over and imports everything once", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const p = await adminOf(tenant);
    const importId = await upload(tenant, p, sjisRoster(5_000, 1_600_000_000));
    // What a crash leaves: the run had marked the import running with some progress; its
    // transaction died with the process, so no holder was committed and the stored file is intact.
    await dbs.ownerDb
      .update(rosterImports)
      .set({ status: "running", rowsImported: 2_000 })
      .where(eq(rosterImports.id, importId));
    expect(await viewImport(p, importId)).toMatchObject({ status: "running", rowsImported: 2_000 });
    expect(await job(tenant.id, importId)).toMatchObject({
      status: "completed",
      rowsTotal: 5_000,
      rowsImported: 5_000,
      rowsUnchanged: 0,
    });
    expect(await holderCount(tenant.id)).toBe(5_000);
    expect(await storedPieces(importId)).toEqual([]);
    expect(await importAudits(importId)).toHaveLength(1);
  });

  it("two runs of the same job at once: one imports, the other waits for the city's lock and then skips", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const p = await adminOf(tenant);
    const importId = await upload(tenant, p, sjisRoster(8_000, 1_700_000_000));
    const outcomes = await Promise.all([job(tenant.id, importId), job(tenant.id, importId)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["completed", "skipped"]);
    expect(await holderCount(tenant.id)).toBe(8_000);
    expect(await importAudits(importId)).toHaveLength(1);
    expect(await viewImport(p, importId)).toMatchObject({ status: "completed", rowsImported: 8_000 });
  });

  it("two uploads of one city: the second stays 待機中 while the first runs, then runs", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const p = await adminOf(tenant);
    const first = await upload(tenant, p, sjisRoster(30_000, 1_800_000_000));
    const second = await upload(tenant, p, Buffer.from("接種券番号,生年月日\n1810000001,1960-01-01\n"));
    const running = job(tenant.id, first);
    for (;;) {
      const item = await viewImport(p, first);
      if (item.status === "running" && item.rowsImported > 0) break;
      if (item.status !== "queued" && item.status !== "running")
        throw new Error(`first import ended early: ${item.status}`);
    }
    let secondDone = false;
    const waiting = job(tenant.id, second).finally(() => (secondDone = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(secondDone).toBe(false);
    expect(await viewImport(p, second)).toMatchObject({ status: "queued" });
    expect(await running).toMatchObject({ status: "completed", rowsImported: 30_000 });
    expect(await waiting).toMatchObject({ status: "completed", rowsImported: 1 });
  });

  it("a job whose stored file is gone fails the import with a Japanese reason; a system failure is recorded, not retried", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const p = await adminOf(tenant);
    const gone = await upload(tenant, p, Buffer.from("接種券番号,生年月日\n1900000001,1960-01-01\n"));
    await dbs.ownerDb.delete(rosterUploadChunks).where(eq(rosterUploadChunks.importId, gone));
    // The job's result (kept in Redis) carries counts only, never the report.
    expect(await job(tenant.id, gone)).toEqual({ status: "failed", rowsTotal: 0, errorCount: 1 });
    expect(await viewImport(p, gone)).toMatchObject({ status: "failed", errors: [{ line: 0, reason: UPLOAD_GONE }] });

    // A database failure mid-import (a trigger refuses this city's holders): recorded as failed with
    // the generic reason, nothing registered, file deleted; the job ends without throwing, as a
    // retry would find the import failed and have nothing to do.
    const broken = await upload(tenant, p, Buffer.from("接種券番号,生年月日\n1900000002,1960-01-01\n"));
    await dbs.ownerDb.execute(
      sql.raw(`create function roster_test_refuse() returns trigger language plpgsql as $$ begin
      if new.tenant_id = '${tenant.id}' then raise exception 'disk full (test)'; end if; return new; end $$`),
    );
    await dbs.ownerDb.execute(
      sql`create trigger roster_test_refuse before insert on ticket_holders for each row execute function roster_test_refuse()`,
    );
    try {
      expect(await job(tenant.id, broken)).toEqual({ status: "failed", importId: broken, system: true });
    } finally {
      await dbs.ownerDb.execute(sql`drop trigger roster_test_refuse on ticket_holders`);
      await dbs.ownerDb.execute(sql`drop function roster_test_refuse()`);
    }
    expect(await viewImport(p, broken)).toMatchObject({
      status: "failed",
      errors: [{ line: 0, reason: SYSTEM_ERROR }],
    });
    expect(await storedPieces(broken)).toEqual([]);
    expect(await holderCount(tenant.id)).toBe(0);
  });

  it("retention: a day later, stored files of imports not running are purged and imports never started are expired", async () => {
    const tenant = await makeTenant(dbs.appDb);
    const p = await adminOf(tenant);
    const bytes = Buffer.from("接種券番号,生年月日\n2000000001,1960-01-01\n");
    const [stuckQueued, leftOver, running, fresh] = [
      await upload(tenant, p, bytes),
      await upload(tenant, p, bytes),
      await upload(tenant, p, bytes),
      await upload(tenant, p, bytes),
    ];
    const dayAgo = new Date(Date.now() - 25 * 3_600_000);
    await dbs.ownerDb.update(rosterImports).set({ createdAt: dayAgo }).where(eq(rosterImports.id, stuckQueued));
    // A completed import whose file was somehow left behind (e.g. stored again by hand).
    await dbs.ownerDb
      .update(rosterImports)
      .set({ createdAt: dayAgo, status: "completed", finishedAt: dayAgo })
      .where(eq(rosterImports.id, leftOver));
    await dbs.ownerDb
      .update(rosterImports)
      .set({ createdAt: dayAgo, status: "running" })
      .where(eq(rosterImports.id, running));

    expect(await purgeRosterUploads(dbs.appDb, tenant.id)).toEqual({ expired: 1, uploads: 2 });
    expect(await viewImport(p, stuckQueued)).toMatchObject({
      status: "failed",
      errors: [{ line: 0, reason: EXPIRED_REASON }],
    });
    expect(await storedPieces(stuckQueued)).toEqual([]);
    expect(await storedPieces(leftOver)).toEqual([]);
    expect((await storedPieces(running)).length).toBe(1);
    expect((await storedPieces(fresh)).length).toBe(1);
    // The expired import's job, if it ever runs, does nothing.
    expect(await job(tenant.id, stuckQueued)).toMatchObject({ status: "skipped", current: "failed" });

    // The daily maintenance purge runs it for every city: two days on, the fresh one is expired too.
    const r = await purgeRetention({ db: dbs.appDb }, { now: new Date(Date.now() + 2 * 86_400_000) });
    expect(r.rosterUploads).toBeGreaterThanOrEqual(1);
    expect(r.rosterImportsExpired).toBeGreaterThanOrEqual(1);
    expect(await storedPieces(fresh)).toEqual([]);
    expect((await storedPieces(running)).length).toBe(1);
  });
});
