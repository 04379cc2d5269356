import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { seedInsightsHistory } from "#db/seed-insights";
import { cityAuditPage, exportCityAudit, exportVendorAudit, vendorAuditPage } from "~/features/audit/audit-log.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { vendorInsights } from "~/features/insights/vendor-insights.server";
import { FIGURE_PROVIDERS, loadInsights } from "~/features/insights/providers.server";
import { insightsCsv } from "~/features/insights/insights-page.server";
import { reservationLedger } from "~/features/insights/ledger.server";
import type { RawFigure } from "~/features/insights/figures";
import { addDays, TOKYO_TIME_ZONE, tokyoDateOf, tokyoInstant } from "~/lib/japan-time";
import { makeStaff, makeVendor } from "#tests/factories/staff";
import { seedFriends } from "#tests/factories/broadcasts";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
let city: Tenant;
let admin: Awaited<ReturnType<typeof makeStaff>>;
const today = tokyoDateOf(new Date());
const period = { from: addDays(today, -60), to: today };
const start = tokyoInstant(period.from).toISOString();
const end = tokyoInstant(addDays(period.to, 1)).toISOString();
let raw: RawFigure[];
const fig = (id: string) => raw.find((f) => f.id === id)!;
const ctx = () => ({ tenantId: city.id, citySlug: city.slug, period, role: "admin", areas: city.areas });

async function count(q: ReturnType<typeof sql>): Promise<number> {
  const [r] = await dbs.ownerDb.execute<{ n: number }>(q);
  return Number(r!.n);
}
const col = (f: RawFigure, j: number) => f.table.cells.reduce((a, r) => a + r[j]!, 0);

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "分析テスト市", areas: ["東", "西", "南"] });
  // Another city, whose rows must never be counted here (and big enough for the vendor's table).
  const other = await makeTenant(dbs.appDb, { name: "よその町" });
  await seedFriends(dbs.appDb, other.id, { count: 25, seed: "insights-other", areas: ["港"], topics: [] });
  admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
  await seedInsightsHistory(dbs.ownerDb, city.id, { friends: 900, holders: 700, days: 120, areas: city.areas });
  raw = await withTenant(dbs.appDb, city.id, async (tx) => {
    const out: RawFigure[] = [];
    for (const p of FIGURE_PROVIDERS) out.push(...(await p.load(tx, ctx())));
    return out;
  });
}, 60_000);
afterAll(() => dbs.close());

describe("each figure equals a direct SQL count", () => {
  it("friends: the newest snapshot of the period is today's count of following and blocked friends", async () => {
    const f = fig("friends");
    const last = f.table.cells.at(-1)!;
    expect(f.table.rows.at(-1)).toBe(today);
    expect(last[0]).toBe(
      await count(sql`select count(*) n from line_friends where tenant_id = ${city.id} and status = 'following'`),
    );
    expect(last[1]).toBe(
      await count(sql`select count(*) n from line_friends where tenant_id = ${city.id} and status = 'blocked'`),
    );
    const byArea = fig("friends-area");
    const east = byArea.table.cols.findIndex((c) => c.label === "東");
    expect(byArea.table.cells.at(-1)![east]).toBe(
      await count(
        sql`select count(*) n from line_friends where tenant_id = ${city.id} and status = 'following' and area = '東'`,
      ),
    );
  });

  it("follows and blocks per day sum to the friends who followed / blocked in the period", async () => {
    const f = fig("follows");
    expect(col(f, 0)).toBe(
      await count(
        sql`select count(*) n from line_friends where tenant_id = ${city.id} and followed_at >= ${start} and followed_at < ${end}`,
      ),
    );
    expect(col(f, 1)).toBe(
      await count(
        sql`select count(*) n from line_friends where tenant_id = ${city.id} and status = 'blocked' and blocked_at >= ${start} and blocked_at < ${end}`,
      ),
    );
  });

  it("bookings by channel per day and per service, and the proxy bookings", async () => {
    const perDay = fig("bookings-channel");
    for (const [j, ch] of ["line", "web", "phone"].entries()) {
      const n = await count(
        sql`select count(*) n from reservations where tenant_id = ${city.id} and channel = ${ch} and created_at >= ${start} and created_at < ${end}`,
      );
      expect(col(perDay, j)).toBe(n);
      expect(col(fig("bookings-service"), j)).toBe(n);
    }
    expect(col(perDay, 3)).toBe(
      await count(
        sql`select count(*) n from reservations where tenant_id = ${city.id} and proxy_note is not null and created_at >= ${start} and created_at < ${end}`,
      ),
    );
    // One day checked on its own: the busiest.
    const i = perDay.table.cells.reduce((best, r, k, all) => (r[0]! > all[best]![0]! ? k : best), 0);
    const day = perDay.table.rows[i]!;
    expect(perDay.table.cells[i]![0]).toBe(
      await count(sql`select count(*) n from reservations where tenant_id = ${city.id} and channel = 'line'
        and to_char(created_at at time zone ${TOKYO_TIME_ZONE}, 'YYYY-MM-DD') = ${day}`),
    );
  });

  it("fill rate: booked seats and quotas per venue and day, web and phone apart", async () => {
    const f = fig("fill");
    expect(col(f, 0)).toBe(
      await count(
        sql`select coalesce(sum(web_booked), 0) n from slots where tenant_id = ${city.id} and starts_at >= ${start} and starts_at < ${end}`,
      ),
    );
    expect(col(f, 3)).toBe(
      await count(
        sql`select coalesce(sum(phone_capacity), 0) n from slots where tenant_id = ${city.id} and starts_at >= ${start} and starts_at < ${end}`,
      ),
    );
    const row = f.table.cells[0]!;
    expect(row[1]).toBeGreaterThan(0);
  });

  it("attendance, completion and cancellations", async () => {
    const a = fig("attendance");
    expect(col(a, 0)).toBe(
      await count(sql`select count(*) n from reservations r join slots s on s.id = r.slot_id where r.tenant_id = ${city.id}
        and r.status = 'attended' and s.starts_at >= ${start} and s.starts_at < ${end}`),
    );
    expect(col(a, 1)).toBe(
      await count(sql`select count(*) n from reservations r join slots s on s.id = r.slot_id where r.tenant_id = ${city.id}
        and r.status = 'no_show' and s.starts_at >= ${start} and s.starts_at < ${end}`),
    );
    const c = fig("completion");
    const started =
      await count(sql`select count(*) n from reservations r join slots s on s.id = r.slot_id where r.tenant_id = ${city.id}
      and r.dose = 1 and r.status = 'attended' and s.starts_at >= ${start} and s.starts_at < ${end}`);
    expect(col(c, 0)).toBe(started);
    expect(col(c, 1)).toBe(
      await count(sql`select count(*) n from reservations r join slots s on s.id = r.slot_id where r.tenant_id = ${city.id}
        and r.dose = 1 and r.status = 'attended' and s.starts_at >= ${start} and s.starts_at < ${end}
        and exists (select 1 from reservations r2 where r2.ticket_holder_id = r.ticket_holder_id and r2.dose = 2 and r2.status = 'attended')`),
    );
    expect(col(fig("cancellations"), 0)).toBe(
      await count(
        sql`select count(*) n from reservations where tenant_id = ${city.id} and status = 'cancelled' and cancelled_at >= ${start} and cancelled_at < ${end}`,
      ),
    );
  });
});

describe("what leaves the server is k-anonymous", () => {
  it("no count from 1 to 9 appears in any figure or in the CSV; shown counts equal the raw ones", async () => {
    const sections = await loadInsights(dbs.appDb, ctx());
    for (const f of sections.flatMap((s) => s.figures)) {
      const r = fig(f.id);
      f.table.cells.forEach((row, i) =>
        row.forEach((v, j) => {
          if (v === null) return;
          if (!f.table.cols[j]!.capacity) expect(v).toBeGreaterThanOrEqual(10);
          expect(v).toBe(r.table.cells[i]![j]);
        }),
      );
    }
    const url = new URL(`http://x/?from=${period.from}&to=${period.to}`);
    const csv = await insightsCsv(
      dbs.appDb,
      city,
      { role: "admin", staffUserId: admin.user.id, ip: "203.0.113.5" },
      url,
    );
    const cells = csv!.rows.flat();
    expect(cells).toContain("10人未満");
    expect(cells.filter((c) => /^[1-9]$/.test(c))).toEqual([]);
  });
});

describe("audit viewer and ledger", () => {
  it("the ledger export is audited, and the audit page filters by action and staff; its own export is audited", async () => {
    const ledger = await reservationLedger(dbs.appDb, {
      tenantId: city.id,
      staffUserId: admin.user.id,
      ip: "203.0.113.5",
      period,
    });
    expect(ledger[0]![0]).toBe("予約番号");
    expect(ledger.length - 1).toBe(
      await count(sql`select count(*) n from reservations r join slots s on s.id = r.slot_id where r.tenant_id = ${city.id}
        and s.starts_at >= ${start} and s.starts_at < ${end}`),
    );
    const page = await cityAuditPage(
      dbs.appDb,
      city.id,
      new URL(`http://x/?action=ledger.export&actor=${admin.user.id}&personal=1`),
    );
    expect(page.page.items).toHaveLength(1);
    expect(page.page.items[0]).toMatchObject({
      action: "ledger.export",
      actorName: admin.user.displayName,
      ip: "203.0.113.5",
    });
    expect(page.choices.actions).toEqual(expect.arrayContaining(["insights.export", "ledger.export"]));
    const none = await cityAuditPage(
      dbs.appDb,
      city.id,
      new URL(`http://x/?action=ledger.export&from=2001-01-01&to=2001-01-02`),
    );
    expect(none.page.items).toHaveLength(0);
    const rows = await exportCityAudit(dbs.appDb, city.id, admin.user.id, null, new URL("http://x/?action=ledger"));
    expect(rows.slice(1).map((r) => r[3])).toEqual(["ledger.export"]);
    expect(
      await count(sql`select count(*) n from audit_log where tenant_id = ${city.id} and action = 'audit.export'`),
    ).toBe(1);
  });
});

describe("the vendor's view", () => {
  it("shows the cities' friends and bookings of this month, k-anonymous, and its audit log filters and exports (audited)", async () => {
    const figures = await vendorInsights(dbs.appDb, 2);
    const cities = figures.find((f) => f.id === "cities")!;
    const i = cities.table.rows.indexOf("分析テスト市");
    expect(i).toBeGreaterThanOrEqual(0);
    expect(cities.table.cells[i]![0]).toBe(
      await count(sql`select count(*) n from line_friends where tenant_id = ${city.id} and status = 'following'`),
    );
    const cells = figures.flatMap((f) =>
      f.table.cells.flatMap((r, ri) => r.filter((_, j) => !f.table.cols[j]!.capacity).map((v) => [v, ri])),
    );
    expect(cells.every(([v]) => v === null || (v as number) >= 10)).toBe(true);

    const vendor = await makeVendor(dbs.appDb);
    await recordVendorAudit(dbs.appDb, {
      vendorUserId: vendor.user.id,
      tenantId: city.id,
      action: "tenant.suspend.test",
      ip: "198.51.100.7",
    });
    const page = await vendorAuditPage(dbs.appDb, new URL(`http://x/?actor=${vendor.user.id}&target=${city.id}`));
    expect(page.page.items.map((r) => [r.action, r.target, r.ip])).toEqual([
      ["tenant.suspend.test", "city 分析テスト市", "198.51.100.7"],
    ]);
    const rows = await exportVendorAudit(dbs.appDb, vendor.user.id, null, new URL(`http://x/?actor=${vendor.user.id}`));
    expect(rows.slice(1).map((r) => r[3])).toEqual(["audit.export", "tenant.suspend.test"]);
  });
});
