import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawSql, withTenantPipelined } from "#db/pipeline.server";
import { withTenant } from "#db/with-tenant.server";
import { auditLog, type Tenant } from "#db/schema/index";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The pipelined tenant transaction (the booking rush path) must keep withTenant's guarantees: a
 * transaction-local tenant, RLS on every statement, nothing left behind on the pooled connection,
 * and all-or-nothing writes.
 */
const dbs = testDbs();
let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  a = await makeTenant(dbs.appDb);
  b = await makeTenant(dbs.appDb);
  for (const t of [a, b])
    await withTenant(dbs.appDb, t.id, (tx) =>
      tx.insert(auditLog).values({ tenantId: t.id, actorKind: "system", action: "pipeline.seed" }),
    );
});
afterAll(() => dbs.close());

describe("withTenantPipelined", () => {
  it("sees only its own tenant's rows, even for a query without a tenant filter", async () => {
    const tenants = await withTenantPipelined(dbs.appDb, a.id, async (c) => {
      const rows = await c<
        { tenant_id: string }[]
      >`select distinct tenant_id from audit_log where action = 'pipeline.seed'`;
      return rows.map((r) => r.tenant_id);
    });
    expect(tenants).toEqual([a.id]);
  });

  it("refuses to write a row of another tenant", async () => {
    await expect(
      withTenantPipelined(dbs.appDb, a.id, (c) =>
        c`insert into audit_log (tenant_id, actor_kind, action) values (${b.id}, 'system', 'pipeline.cross')`.execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("leaves no tenant setting on the pooled connection afterwards", async () => {
    const sql = rawSql(dbs.appDb);
    for (let i = 0; i < 10; i++) await withTenantPipelined(dbs.appDb, a.id, (c) => c`select 1`.execute());
    // Every connection of the pool, outside any tenant transaction, sees nothing.
    const counts = await Promise.all(
      Array.from({ length: 10 }, () => sql<{ n: number }[]>`select count(*)::int as n from audit_log`),
    );
    expect(counts.map((r) => r[0]!.n)).toEqual(Array(10).fill(0));
  });

  it("rolls everything back when the body throws after writing", async () => {
    await expect(
      withTenantPipelined(dbs.appDb, a.id, async (c) => {
        await c`insert into audit_log (tenant_id, actor_kind, action) values (${a.id}, 'system', 'pipeline.rolled-back')`;
        throw new Error("refused after the write");
      }),
    ).rejects.toThrow("refused after the write");
    const left = await withTenant(dbs.appDb, a.id, (tx) => tx.$count(auditLog, undefined));
    const rolledBack = await withTenantPipelined(
      dbs.appDb,
      a.id,
      (c) => c<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'pipeline.rolled-back'`,
    );
    expect(rolledBack[0]!.n).toBe(0);
    expect(left).toBeGreaterThan(0);
  });

  it("a body that fails before BEGIN has answered leaves no open transaction or lock behind", async () => {
    const lock = "pipeline-test-early-failure";
    // Run it more times than the pool has connections, so a connection left inside the transaction
    // (holding the advisory lock) would make a later run wait forever.
    for (let i = 0; i < 12; i++) {
      await expect(
        withTenantPipelined(
          dbs.appDb,
          a.id,
          async () => {
            throw new Error("refused before any answer");
          },
          { lockKey: lock },
        ),
      ).rejects.toThrow("refused before any answer");
    }
    const sql = rawSql(dbs.appDb);
    const states = await Promise.all(
      Array.from(
        { length: 10 },
        () => sql<{ s: string }[]>`select coalesce(nullif(current_setting('app.tenant_id', true), ''), 'none') as s`,
      ),
    );
    expect(states.map((r) => r[0]!.s)).toEqual(Array(10).fill("none"));
    // The advisory lock is free: another session takes it at once.
    const [got] = await sql<{ ok: boolean }[]>`select pg_try_advisory_lock(hashtextextended(${lock}, 0)) as ok`;
    expect(got!.ok).toBe(true);
    await sql`select pg_advisory_unlock(hashtextextended(${lock}, 0))`;
  }, 10_000);

  it("commit() sent behind the last write keeps it; a failing last write leaves nothing", async () => {
    await withTenantPipelined(dbs.appDb, a.id, async (c, commit) => {
      await Promise.all([
        c`insert into audit_log (tenant_id, actor_kind, action) values (${a.id}, 'system', 'pipeline.early-commit')`.execute(),
        commit(),
      ]);
    });
    await expect(
      withTenantPipelined(dbs.appDb, a.id, async (c, commit) => {
        const first =
          c`insert into audit_log (tenant_id, actor_kind, action) values (${a.id}, 'system', 'pipeline.half')`.execute();
        const bad =
          c`insert into audit_log (tenant_id, actor_kind, action) values (${b.id}, 'system', 'pipeline.half')`.execute();
        await Promise.all([first, bad, commit()]);
      }),
    ).rejects.toThrow(/row-level security/);
    const rows = await withTenantPipelined(
      dbs.appDb,
      a.id,
      (c) =>
        c<
          { action: string }[]
        >`select action from audit_log where action in ('pipeline.early-commit', 'pipeline.half')`,
    );
    expect(rows.map((r) => r.action)).toEqual(["pipeline.early-commit"]);
  });

  it("rejects a tenant id that is not a uuid before touching the database", async () => {
    await expect(withTenantPipelined(dbs.appDb, "a'; drop table x; --", (c) => c`select 1`.execute())).rejects.toThrow(
      /uuid/,
    );
  });
});
