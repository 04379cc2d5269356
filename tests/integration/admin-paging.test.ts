import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcasts, rosterImports, slots, type Service, type Tenant } from "#db/schema/index";
import { listBroadcasts } from "~/features/broadcasts/broadcasts.server";
import { listRosterImports } from "~/features/roster/roster-store.server";
import { addDays, tokyoDateOf, tokyoInstant } from "~/lib/japan-time";
import { SLOTS_PAGE_SIZE } from "~/features/slots/limits";
import { PAGE_SIZE, readPage } from "~/lib/paging";
import * as slotsPage from "~/routes/c.$city.admin.slots";
import { staffContext, tenantContext } from "~/tenants/context";
import { makeService, makeVenue } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
let city: Tenant;
let service: Service;
let operator: Awaited<ReturnType<typeof makeStaff>>;
let venueId: string;
const from = addDays(tokyoDateOf(new Date()), 10);
const ids: string[] = []; // every slot of the week, in the page order

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "ページ送り市" });
  service = await makeService(dbs.appDb, city.id, { phases: [] });
  operator = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
  venueId = (await makeVenue(dbs.appDb, city.id)).id;
  // Day 0 empty, day 1: 120 slots, day 2 empty, day 3: 110 slots, days 4–6 empty — 230 in all, three pages.
  const plan: [number, number][] = [
    [1, 120],
    [3, 110],
  ];
  for (const [offset, count] of plan) {
    const start = tokyoInstant(addDays(from, offset), "08:00").getTime();
    const rows = Array.from({ length: count }, (_, i) => ({
      tenantId: city.id,
      venueId,
      serviceId: service.id,
      startsAt: new Date(start + i * 5 * 60_000),
      endsAt: new Date(start + (i + 1) * 5 * 60_000),
      webCapacity: 1,
      phoneCapacity: 1,
    }));
    ids.push(...(await dbs.ownerDb.insert(slots).values(rows).returning({ id: slots.id })).map((r) => r.id));
  }
});
afterAll(async () => {
  await dbs.close();
});

function context() {
  const c = new RouterContextProvider();
  c.set(tenantContext, city);
  c.set(staffContext, { user: operator.user, membership: operator.membership, sessionId: "s" });
  return c;
}
const load = (q: string) =>
  slotsPage.loader({
    request: new Request(`http://madoguchi.test/c/${city.slug}/admin/slots${q}`),
    context: context(),
    params: { city: city.slug },
    unstable_pattern: "",
  } as never) as ReturnType<typeof slotsPage.loader>;
const shown = (days: { slots: { id: string }[] }[]) => days.flatMap((d) => d.slots.map((s) => s.id));

describe("slots list paging", () => {
  it("splits a crowded week into pages that together list every slot once, in order", async () => {
    expect(SLOTS_PAGE_SIZE).toBe(100);
    const week = `?venueId=${venueId}&from=${from}`;
    const p1 = await load(week);
    const p2 = await load(`${week}&page=2`);
    const p3 = await load(`${week}&page=3`);
    expect(p1.paging).toEqual({ page: 1, hasPrev: false, hasNext: true, firstIndex: 0 });
    expect(p2.paging).toEqual({ page: 2, hasPrev: true, hasNext: true, firstIndex: 100 });
    expect(p3.paging).toEqual({ page: 3, hasPrev: true, hasNext: false, firstIndex: 200 });
    expect([...shown(p1.days), ...shown(p2.days), ...shown(p3.days)]).toEqual(ids);

    // Each day appears on the pages its slots are on; an empty day on the one page spanning it.
    const dates = (days: { date: string }[]) => days.map((d) => d.date);
    expect(dates(p1.days)).toEqual([from, addDays(from, 1)]);
    expect(dates(p2.days)).toEqual([addDays(from, 1), addDays(from, 2), addDays(from, 3)]);
    expect(dates(p3.days)).toEqual([addDays(from, 3), addDays(from, 4), addDays(from, 5), addDays(from, 6)]);
    expect(p2.days.map((d) => d.slots.length)).toEqual([20, 0, 80]);
  });

  it("shows the whole week unpaged when it fits, and nothing (with a way back) past the last page", async () => {
    const quiet = await load(`?venueId=${venueId}&from=${addDays(from, 4)}`);
    expect(quiet.paging).toEqual({ page: 1, hasPrev: false, hasNext: false, firstIndex: 0 });
    expect(quiet.days).toHaveLength(7);
    const beyond = await load(`?venueId=${venueId}&from=${from}&page=9`);
    expect(beyond.paging).toMatchObject({ page: 9, hasPrev: true, hasNext: false });
    expect(beyond.days).toEqual([]);
    // A nonsense page is the first page, never an error.
    expect((await load(`?venueId=${venueId}&from=${from}&page=abc`)).paging.page).toBe(1);
  });
});

describe("roster imports and broadcasts paging", () => {
  it("pages past roster imports newest first without losing or repeating one", async () => {
    const base = Date.now() - 3_600_000;
    const rows = Array.from({ length: PAGE_SIZE + 3 }, (_, i) => ({
      tenantId: city.id,
      filename: `roster-${i}.csv`,
      status: "completed" as const,
      createdAt: new Date(base + (i % 10) * 1000),
    }));
    await dbs.ownerDb.insert(rosterImports).values(rows); // many share a createdAt: the id breaks the ties
    const p1 = await listRosterImports(dbs.appDb, city.id, readPage("1"));
    const p2 = await listRosterImports(dbs.appDb, city.id, readPage("2"));
    expect([p1.items.length, p1.hasNext, p2.items.length, p2.hasNext, p2.hasPrev]).toEqual([
      PAGE_SIZE,
      true,
      3,
      false,
      true,
    ]);
    const all = [...p1.items, ...p2.items];
    expect(new Set(all.map((r) => r.id)).size).toBe(PAGE_SIZE + 3);
    const times = all.map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("pages broadcasts newest first", async () => {
    const segment = {
      match: "all" as const,
      topics: [],
      topicsMatch: "any" as const,
      genders: [],
      ageBands: [],
      areas: [],
    };
    const base = Date.now() - 3_600_000;
    const rows = Array.from({ length: PAGE_SIZE + 1 }, (_, i) => ({
      tenantId: city.id,
      title: `お知らせ ${i}`,
      messageKind: "text" as const,
      content: { kind: "text" as const, text: "本文" },
      segment,
      createdAt: new Date(base + i * 1000),
    }));
    await dbs.ownerDb.insert(broadcasts).values(rows);
    const p1 = await listBroadcasts(dbs.appDb, city.id, readPage(null));
    const p2 = await listBroadcasts(dbs.appDb, city.id, readPage("2"));
    expect(p1.items[0]!.title).toBe(`お知らせ ${PAGE_SIZE}`);
    expect([p1.items.length, p1.hasNext, p2.items.length, p2.hasNext]).toEqual([PAGE_SIZE, true, 1, false]);
    expect(p2.items[0]).toMatchObject({ title: "お知らせ 0", lastRun: null });
  });
});
