import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { lineFriends, reservations, type Tenant } from "#db/schema/index";
import { DEMO_ENGLISH_RESIDENT } from "~/features/dev-line/demo-resident";
import { activeServices, venuesWithAvailability } from "~/features/reservations/availability.server";
import { startFlow } from "~/features/reservations/resident-flow.server";
import { viewCallList } from "~/features/reminders/call-list.server";
import { searchHoldersByName } from "~/features/phone-booking/name-search.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { closeRedis } from "~/lib/redis.server";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { DEMO_TICKET_NUMBERS, seedDemoReservations } from "./seed-reservations";

const dbs = testDbs();
let a: Tenant;
let b: Tenant;
let printed: Awaited<ReturnType<typeof seedDemoReservations>>;

beforeAll(async () => {
  a = await makeTenant(dbs.appDb, { name: "デモA市" });
  b = await makeTenant(dbs.appDb, { name: "デモB町" });
  printed = await seedDemoReservations(dbs.appDb, [a.id, b.id]);
});
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

describe("seedDemoReservations", () => {
  it("gives each city one 2-dose service, venues with open web seats from tomorrow, and 20 ticket holders", async () => {
    for (const [tenant, venueCount] of [
      [a, 3],
      [b, 2],
    ] as const) {
      const services = await activeServices(dbs.appDb, tenant.id);
      expect(services).toHaveLength(1);
      expect(services[0]).toMatchObject({ doses: 2, minIntervalDays: 21 });
      const venues = await venuesWithAvailability(dbs.appDb, tenant.id, {
        serviceId: services[0]!.id,
        from: new Date(),
        until: new Date(Date.now() + 30 * 24 * 3600_000),
      });
      expect(venues).toHaveLength(venueCount);
      for (const v of venues) expect(v.openSlots).toBeGreaterThan(20);
    }
    expect(printed).toHaveLength(40);
    expect(printed.filter((p) => p.note.includes("65歳以上")).length).toBeGreaterThanOrEqual(5);
  });

  it("prints ticket numbers that pass the identity check in every city", async () => {
    expect(DEMO_TICKET_NUMBERS[0]).toBe("1000000001");
    const first = printed.find((p) => p.tenantId === b.id && p.ticketNumber === "1000000001")!;
    const r = await startFlow(dbs.appDb, {
      tenantId: b.id,
      ticketNumber: first.ticketNumber,
      birthDate: first.birthDate,
      channel: "web",
      ip: "10.3.3.3",
    });
    expect(r.ok).toBe(true);
  });

  it("books a few phone callers without e-mail or LINE, so today's reminder call list is not empty in the demo", async () => {
    for (const tenant of [a, b]) {
      const today = await viewCallList(dbs.appDb, {
        tenantId: tenant.id,
        date: tokyoDateOf(new Date()),
        staffUserId: crypto.randomUUID(),
      });
      expect(today.map((r) => r.contactName).sort()).toEqual(["中西 シゲル", "山本 ハナ"].sort());
      const tomorrow = await viewCallList(dbs.appDb, {
        tenantId: tenant.id,
        date: tokyoDateOf(new Date(Date.now() + 24 * 3600_000)),
        staffUserId: crypto.randomUUID(),
      });
      // Tomorrow: the 2-hours-before reminders of tomorrow's sessions, and the day before the day after.
      expect(tomorrow.map((r) => `${r.contactName} ${r.ruleLabel}`).sort()).toEqual(
        ["中西 シゲル 2時間前", "山本 ハナ 2時間前", "岡田 トミ 前日 10:00"].sort(),
      );
    }
  });

  it("has a caller with a cancelled booking whom phone staff can find by name and book again", async () => {
    const found = await searchHoldersByName(dbs.appDb, {
      tenantId: a.id,
      name: "田中　よし子",
      birthDate: "1944-05-15",
      staffUserId: crypto.randomUUID(),
    });
    expect(found.ok && found.matches.map((m) => m.status)).toEqual(["cancelled"]);
  });

  it("has two residents who booked in English: one by e-mail, one linked to the English-speaking LINE friend", async () => {
    const rows = await dbs.ownerDb
      .select({ name: reservations.contactName, language: reservations.language, lineUserId: reservations.lineUserId })
      .from(reservations)
      .where(and(eq(reservations.tenantId, a.id), eq(reservations.language, "en")))
      .orderBy(reservations.contactName);
    expect(rows).toEqual([
      { name: "Alex Smith", language: "en", lineUserId: DEMO_ENGLISH_RESIDENT.lineUserId },
      { name: "Maria Santos", language: "en", lineUserId: null },
    ]);
    const [friend] = await dbs.ownerDb
      .select()
      .from(lineFriends)
      .where(and(eq(lineFriends.tenantId, a.id), eq(lineFriends.lineUserId, DEMO_ENGLISH_RESIDENT.lineUserId)));
    expect(friend).toMatchObject({ status: "following", language: "en" });
  });
});
