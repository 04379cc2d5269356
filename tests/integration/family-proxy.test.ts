import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reservations, type Tenant } from "#db/schema/index";
import { noticePromise } from "~/features/reservations/notice-promise.server";
import { bookFromFlow, listMine, startFlow, type FlowState } from "~/features/reservations/resident-flow.server";
import { familyContactSchema } from "~/features/reservations/resident-flow.schemas";
import { closeRedis } from "~/lib/redis.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

// Issue 15: 「家族の代わりに予約する」 on the web. The family member identifies with the resident's
// ticket and birth date, gives their own name, relation and contact; the booking is the resident's,
// recorded as a proxy (proxy_note like phone proxies, plus who and how related), and its notices go
// to the family member's e-mail.

const dbs = testDbs();
let city: Tenant;
let serviceId: string;
let venueId: string;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "代理テスト市" });
  serviceId = (await makeService(dbs.appDb, city.id, { doses: 2, minIntervalDays: 21, bookingWindowDays: 60 })).id;
  venueId = (await makeVenue(dbs.appDb, city.id, { name: "公民館" })).id;
});
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

async function familyFlow(ticketNumber: string): Promise<FlowState> {
  await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1940-02-11" }]);
  const r = await startFlow(dbs.appDb, {
    tenantId: city.id,
    ticketNumber,
    birthDate: "1940-02-11",
    channel: "web",
    family: true,
    ip: "10.7.7.7",
  });
  if (!r.ok) throw new Error(r.message);
  expect(r.state.family).toBe(true);
  const contact = familyContactSchema.parse({
    name: "代理 ウメ",
    proxyName: "代理 一郎",
    relation: "child",
    phone: "",
    email: "Ichiro@Example.jp",
  });
  return { ...r.state, contact, exp: Date.now() + 60_000 };
}

describe("a family proxy on the web", () => {
  it("books for the resident, records who booked and how related, and sends the notices to them", async () => {
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId,
      serviceId,
      startsAt: new Date(Date.now() + 5 * 86_400_000),
      webCapacity: 3,
      phoneCapacity: 3,
    });
    const state = await familyFlow("3000000001");
    const booked = await bookFromFlow(dbs.appDb, {
      tenantId: city.id,
      state,
      slotId: slot.id,
      idempotencyKey: crypto.randomUUID(),
      ip: "10.7.7.7",
    });
    expect(booked.ok).toBe(true);
    if (!booked.ok) return;
    const [row] = await dbs.ownerDb
      .select()
      .from(reservations)
      .where(and(eq(reservations.tenantId, city.id), eq(reservations.id, booked.reservation.id)));
    expect(row).toMatchObject({
      channel: "web",
      quota: "web",
      contactName: "代理 ウメ",
      contactEmail: "ichiro@example.jp",
      proxyName: "代理 一郎",
      proxyRelation: "child",
      proxyNote: "ウェブで家族が代理予約（子：代理 一郎）",
      bookedByStaffId: null,
    });
    // The notices go to the relative's address (the only contact on the booking).
    expect(await noticePromise(dbs.appDb, city.id, row!.confirmationCode)).toEqual({
      channel: "email",
      maskedEmail: expect.stringMatching(/@example\.jp$/),
    });
    // "My reservation" (with the resident's ticket) says it is a proxy booking.
    const mine = await listMine(dbs.appDb, city.id, state.ticketHolderId);
    expect(mine.map((r) => r.proxyRelation)).toEqual(["child"]);
  });

  it("needs the relative's name, a known relation and a phone or e-mail, with polite messages", () => {
    const r = familyContactSchema.safeParse({ name: "", proxyName: "", relation: "boss", phone: "", email: "" });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(byField).toMatchObject({
      name: "予約するご家族のお名前を入力してください。",
      proxyName: "お名前を入力してください。",
      relation: "続柄を選択してください。",
    });
  });

  it("the database refuses half a proxy record or an unknown relation", async () => {
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId,
      serviceId,
      startsAt: new Date(Date.now() + 6 * 86_400_000),
      webCapacity: 3,
      phoneCapacity: 3,
    });
    const state = await familyFlow("3000000002");
    const ok = await bookFromFlow(dbs.appDb, {
      tenantId: city.id,
      state,
      slotId: slot.id,
      idempotencyKey: crypto.randomUUID(),
      ip: null,
    });
    if (!ok.ok) throw new Error(ok.message);
    for (const set of [sql`proxy_name = null`, sql`proxy_relation = 'boss'`])
      await expect(
        dbs.ownerDb.execute(sql`update reservations set ${set} where id = ${ok.reservation.id}`),
      ).rejects.toMatchObject({ cause: { constraint_name: "reservations_proxy_family" } });
  });
});
