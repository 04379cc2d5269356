import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { ticketHolders, type Tenant } from "#db/schema/index";
import { IDENTITY_FAILED, IDENTITY_THROTTLED, verifyTicketHolder } from "~/features/reservations/identity.server";
import { closeRedis } from "~/lib/redis.server";
import { makeTicketHolders } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
let city: Tenant;
beforeAll(async () => {
  city = await makeTenant(dbs.appDb);
  await makeTicketHolders(dbs.appDb, city.id, [
    { ticketNumber: "0123456789", birthDate: "1960-01-01" },
    { ticketNumber: "1111111111", birthDate: "1945-08-15" },
    { ticketNumber: "2222222222", birthDate: "1999-12-31" },
  ]);
});
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

describe("ticket number + birth date check", () => {
  it("passes a roster entry (full-width digits and hyphens accepted) and stores no plain number", async () => {
    const r = await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "０１２３－４５６７８９",
      birthDate: "1960-01-01",
      ip: "198.51.100.7",
    });
    expect(r.ok).toBe(true);
    const stored = await dbs.ownerDb.select().from(ticketHolders).where(eq(ticketHolders.tenantId, city.id));
    expect(JSON.stringify(stored)).not.toContain("0123456789");
  });

  it("answers a wrong birth date, an unknown ticket and 0000000000 with the same message", async () => {
    const ip = "198.51.100.8";
    const wrongBirth = await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "0123456789",
      birthDate: "1960-01-02",
      ip,
    });
    const unknown = await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "9876543210",
      birthDate: "1960-01-01",
      ip,
    });
    const zeros = await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "0000000000",
      birthDate: "1960-01-01",
      ip,
    });
    const malformed = await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "12345",
      birthDate: "1960-01-01",
      ip,
    });
    for (const r of [wrongBirth, unknown, zeros, malformed])
      expect(r).toEqual({ ok: false, reason: "invalid", message: IDENTITY_FAILED });
  });

  it("another city's roster does not pass here", async () => {
    const other = await makeTenant(dbs.appDb);
    expect(
      (
        await verifyTicketHolder(dbs.appDb, {
          tenantId: other.id,
          ticketNumber: "0123456789",
          birthDate: "1960-01-01",
          ip: "198.51.100.9",
        })
      ).ok,
    ).toBe(false);
  });

  it("one address is throttled after 30 failures; other addresses are not", async () => {
    const ip = "203.0.113.30";
    for (let i = 0; i < 30; i++) {
      await verifyTicketHolder(dbs.appDb, {
        tenantId: city.id,
        ticketNumber: String(3_000_000_000 + i),
        birthDate: "1960-01-01",
        ip,
      });
    }
    expect(
      await verifyTicketHolder(dbs.appDb, {
        tenantId: city.id,
        ticketNumber: "1111111111",
        birthDate: "1945-08-15",
        ip,
      }),
    ).toMatchObject({ ok: false, reason: "throttled", message: IDENTITY_THROTTLED });
    expect(
      (
        await verifyTicketHolder(dbs.appDb, {
          tenantId: city.id,
          ticketNumber: "1111111111",
          birthDate: "1945-08-15",
          ip: "203.0.113.31",
        })
      ).ok,
    ).toBe(true);
  });

  it("one ticket is throttled after 100 failures from many addresses — existing or not, the same way", async () => {
    const guess = async (ticketNumber: string, i: number) =>
      verifyTicketHolder(dbs.appDb, {
        tenantId: city.id,
        ticketNumber,
        birthDate: `1900-01-${String((i % 28) + 1).padStart(2, "0")}`,
        ip: `192.0.2.${i % 250}`,
      });
    for (let i = 0; i < 100; i++) {
      await guess("2222222222", i);
      await guess("4444444444", i); // not on the roster
    }
    const real = await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "2222222222",
      birthDate: "1999-12-31",
      ip: "192.0.2.251",
    });
    const fake = await verifyTicketHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "4444444444",
      birthDate: "1999-12-31",
      ip: "192.0.2.251",
    });
    expect(real).toEqual({ ok: false, reason: "throttled", message: IDENTITY_THROTTLED });
    expect(fake).toEqual(real);
    expect(
      (
        await verifyTicketHolder(dbs.appDb, {
          tenantId: city.id,
          ticketNumber: "1111111111",
          birthDate: "1945-08-15",
          ip: "192.0.2.252",
        })
      ).ok,
    ).toBe(true);
  });
});
