import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookSlot } from "~/features/reservations/booking.server";
import { cancelReservation, changeReservation } from "~/features/reservations/change-cancel.server";
import { closeRedis } from "~/lib/redis.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { readMailbox, startSmtpCapture } from "#tests/fakes/smtp-capture";
import { testDbs } from "#tests/setup/db";
import { relayAndProcess } from "#tests/setup/jobs";

const dbs = testDbs();
const mailDir = mkdtempSync(join(tmpdir(), "mdg-notice-"));
let smtp: { port: number; close(): Promise<void> };
beforeAll(async () => {
  smtp = await startSmtpCapture({ port: 0, dir: mailDir });
});
afterAll(async () => {
  await smtp.close();
  await closeRedis();
  await dbs.close();
  rmSync(mailDir, { recursive: true, force: true });
});

describe("reservation notices through the outbox", () => {
  it("confirmation, change and cancellation each reach the resident once, with venue, time and what to bring", async () => {
    const city = await makeTenant(dbs.appDb, { name: "通知テスト市" });
    const service = await makeService(dbs.appDb, city.id, { whatToBring: "接種券と本人確認書類" });
    const venue = await makeVenue(dbs.appDb, city.id, { name: "中央公民館", address: "本町1-1" });
    const start = new Date(Date.now() + 5 * 24 * 3600 * 1000);
    const a = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: service.id, startsAt: start });
    const b = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: new Date(start.getTime() + 3600_000),
    });
    const [h] = await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber: "7000000001", birthDate: "1955-03-03" }]);
    const email = "resident@example.jp";
    const booked = await bookSlot(dbs.appDb, {
      tenantId: city.id,
      slotId: a.id,
      ticketHolderId: h!.id,
      channel: "web",
      contact: { name: "佐藤 花子", phone: "", email },
      idempotencyKey: crypto.randomUUID(),
    });
    if (!booked.ok) throw new Error("setup");
    await relayAndProcess(dbs.appDb, { smtpPort: smtp.port, key: Buffer.alloc(32, 1), tenantId: city.id });
    let mails = (await readMailbox(mailDir)).filter((m) => m.to.includes(email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("【通知テスト市】新型コロナワクチン接種 予約が確定しました");
    expect(mails[0]!.text).toContain(booked.reservation.confirmationCode);
    expect(mails[0]!.text).toContain("中央公民館");
    expect(mails[0]!.text).toContain("接種券と本人確認書類");

    await changeReservation(dbs.appDb, {
      tenantId: city.id,
      reservationId: booked.reservation.id,
      newSlotId: b.id,
      actor: { kind: "resident" },
    });
    await cancelReservation(dbs.appDb, {
      tenantId: city.id,
      reservationId: booked.reservation.id,
      actor: { kind: "resident" },
    });
    await relayAndProcess(dbs.appDb, { smtpPort: smtp.port, key: Buffer.alloc(32, 1), tenantId: city.id });
    // Running the relay again must not re-send anything.
    await relayAndProcess(dbs.appDb, { smtpPort: smtp.port, key: Buffer.alloc(32, 1), tenantId: city.id });
    mails = (await readMailbox(mailDir)).filter((m) => m.to.includes(email));
    expect(mails.map((m) => m.subject.replace("【通知テスト市】新型コロナワクチン接種 ", "")).sort()).toEqual(
      ["予約が確定しました", "予約をキャンセルしました", "予約を変更しました"].sort(),
    );
  });
});
