import { and, eq, sql } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, outbox, reservations, usageMonthly, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { sendReservationNotice } from "#jobs/processors/notice/send-reservation-notice";
import { lineNoticeText, noticeLink } from "#jobs/processors/notice/line-notice";
import { recordBlock, recordFollow } from "~/features/line/friends.server";
import { lineIdentityCookie } from "~/features/liff/identity.server";
import { changeReservation } from "~/features/reservations/change-cancel.server";
import {
  bookFromFlow,
  linkFlowToLine,
  readFlow,
  startFlow,
  type FlowState,
} from "~/features/reservations/resident-flow.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { createMailer } from "~/integrations/mail.server";
import { closeRedis } from "~/lib/redis.server";
import * as reservePage from "~/routes/c.$city.reserve";
import { tenantContext } from "~/tenants/context";
import { makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { testDbs } from "#tests/setup/db";
import { makeTenant } from "#tests/factories/tenants";
import { relayAndProcess } from "#tests/setup/jobs";
import { startNoticeWorld, type NoticeWorld } from "#tests/setup/notice-world";

/**
 * Issue 3's LINE parts: a resident verified by LIFF ticks 「このLINEアカウントに予約を連携する」, the
 * booking is recorded as channel "line" with the LINE user, and its notices arrive as LINE pushes at
 * the emulator — exactly once — while unlinked bookings keep getting e-mail.
 */
const dbs = testDbs();
let w: NoticeWorld;
let key: Buffer;
let smtp: NoticeWorld["smtp"];
let ctl: NoticeWorld["ctl"];
let line: LineApiConfig;
let city: Tenant;
let channel: PlainChannel;
let serviceId: string;
let venueId: string;
let ticket = 3_100_000_000;
let day = 3;

beforeAll(async () => {
  w = await startNoticeWorld(dbs.appDb, { cityName: "LINE通知テスト市", loginChannelSecret: "login-secret-notice" });
  ({ key, smtp, ctl, line, city, channel } = w);
  serviceId = (await makeService(dbs.appDb, city.id, { whatToBring: "接種券と本人確認書類" })).id;
  venueId = (await makeVenue(dbs.appDb, city.id, { name: "中央公民館", address: "本町1-1" })).id;
});
afterAll(async () => {
  await w.close();
  await closeRedis();
  await dbs.close();
});

const processAll = () => w.processAll();
const slot = async () =>
  makeSlot(dbs.appDb, city.id, { venueId, serviceId, startsAt: new Date(Date.now() + day++ * 24 * 3600_000) });
const follow = (userId: string) =>
  withTenant(dbs.appDb, city.id, (tx) => recordFollow(tx, city.id, userId, new Date()));
const mailsTo = (email: string) => w.mailsTo(email);
const pushesTo = (userId: string) => w.pushesTo(userId);

async function resident(email: string): Promise<FlowState> {
  const ticketNumber = String(++ticket);
  await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
  const r = await startFlow(dbs.appDb, {
    tenantId: city.id,
    ticketNumber,
    birthDate: "1950-04-01",
    channel: "web",
    ip: `10.7.0.${ticket % 250}`,
  });
  if (!r.ok) throw new Error(r.message);
  return { ...r.state, contact: { name: "紀ノ川 花子", phone: "", email }, exp: Date.now() + 60_000 };
}

async function book(state: FlowState) {
  const r = await bookFromFlow(dbs.appDb, {
    tenantId: city.id,
    state,
    slotId: (await slot()).id,
    idempotencyKey: crypto.randomUUID(),
    ip: "10.7.1.1",
  });
  if (!r.ok) throw new Error(r.message);
  return r.reservation;
}

async function noticePayloads(reservationId: string) {
  const rows = await dbs.ownerDb
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.tenantId, city.id),
        eq(outbox.jobName, "send-reservation-notice"),
        sql`${outbox.payload}->>'reservationId' = ${reservationId}`,
      ),
    );
  return rows.map((r) => r.payload as { tenantId: string; reservationId: string; kind: "confirmed"; noticeId: string });
}

describe("step 1 with a verified LINE identity", () => {
  const args = (request: Request) => {
    const context = new RouterContextProvider();
    context.set(tenantContext, city);
    return { request, context, params: { city: city.slug }, unstable_pattern: "" } as never;
  };
  async function submit(opts: { link: boolean; cookie: string | null }) {
    const ticketNumber = String(++ticket);
    await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
    const form = new URLSearchParams({
      ticketNumber,
      birthYear: "1950",
      birthMonth: "4",
      birthDay: "1",
      channel: "web",
      ...(opts.link ? { linkLine: "1" } : {}),
    });
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
      "x-real-ip": `10.8.0.${ticket % 250}`,
    };
    if (opts.cookie) headers.cookie = opts.cookie;
    const res = (await reservePage.action(
      args(new Request(`http://madoguchi.test/c/${city.slug}/reserve`, { method: "POST", headers, body: form })),
    )) as Response;
    expect(res.status).toBe(302);
    const flow = res.headers.get("set-cookie")!.split(";")[0]!;
    return readFlow(new Request("http://madoguchi.test/", { headers: { cookie: flow } }), city)!;
  }

  it("the page offers the checkbox only with a verified identity; ticking it links the flow to that LINE user", async () => {
    const userId = await ctl.newUser();
    const lineCookie = lineIdentityCookie(city, { lineUserId: userId }).split(";")[0]!;
    const page = async (cookie?: string) =>
      (
        await reservePage.loader(
          args(new Request(`http://madoguchi.test/c/${city.slug}/reserve`, { headers: cookie ? { cookie } : {} })),
        )
      ).data as { lineIdentified: boolean };
    expect((await page()).lineIdentified).toBe(false);
    expect((await page(lineCookie)).lineIdentified).toBe(true);

    expect(await submit({ link: true, cookie: lineCookie })).toMatchObject({ channel: "line", lineUserId: userId });
    // Not ticked: no link, even with the identity present.
    const unticked = await submit({ link: false, cookie: lineCookie });
    expect(unticked.channel).toBe("web");
    expect(unticked.lineUserId).toBeUndefined();
    // Ticked without a verified identity (a forged form): nothing to link.
    expect((await submit({ link: true, cookie: null })).lineUserId).toBeUndefined();
  });
});

describe("booking and notices by LINE", () => {
  it("records channel line + line_user_id, and the confirmation arrives as one LINE push even when the job runs again", async () => {
    const userId = await ctl.newUser();
    await follow(userId);
    const email = "linked@example.jp";
    const booked = await book(linkFlowToLine(await resident(email), userId));
    const [row] = await dbs.ownerDb.select().from(reservations).where(eq(reservations.id, booked.id));
    expect(row).toMatchObject({ channel: "line", lineUserId: userId, quota: "web" });

    await processAll();
    let pushes = await pushesTo(userId);
    expect(pushes).toHaveLength(1);
    const text = pushes[0]!.messages[0]!.text!;
    expect(text).toContain("【LINE通知テスト市】予約が確定しました");
    expect(text).toContain("新型コロナワクチン接種（1回目）");
    expect(text).toContain("中央公民館（本町1-1）");
    expect(text).toContain("持ち物：接種券と本人確認書類");
    expect(text).toContain(`予約番号：${booked.confirmationCode}`);
    expect(text).toContain(`https://liff.line.me/${channel.liffId}/reservation`);
    expect(text).not.toContain("紀ノ川 花子");
    expect(await mailsTo(email)).toHaveLength(0);
    // The push is metered for billing: one message to one recipient.
    const [usage] = await dbs.ownerDb
      .select()
      .from(usageMonthly)
      .where(and(eq(usageMonthly.tenantId, city.id), eq(usageMonthly.metric, "line_messages")));
    expect(usage?.count).toBe(1);

    // The same notice again: by the relay, by a direct rerun, and after losing the ledger row (a crash
    // between LINE's answer and our commit) — LINE's retry key answers 409, nothing is sent twice.
    const [payload] = await noticePayloads(booked.id);
    await processAll();
    expect(
      await sendReservationNotice(
        {
          db: dbs.appDb,
          mailer: createMailer(`smtp://127.0.0.1:${smtp.port}`, "t@madoguchi.example"),
          key,
          appOrigin: "http://madoguchi.test",
          line,
        },
        payload!,
      ),
    ).toBe("already-sent");
    await dbs.ownerDb.delete(deliveries).where(eq(deliveries.key, `notice:${payload!.noticeId}:line`));
    const mailer = createMailer(`smtp://127.0.0.1:${smtp.port}`, "t@madoguchi.example");
    expect(
      await sendReservationNotice({ db: dbs.appDb, mailer, key, appOrigin: "http://madoguchi.test", line }, payload!),
    ).toBe("sent-line");
    mailer.close();
    pushes = await pushesTo(userId);
    expect(pushes).toHaveLength(1);
    const [ledger] = await dbs.ownerDb
      .select()
      .from(deliveries)
      .where(eq(deliveries.key, `notice:${payload!.noticeId}:line`));
    expect(ledger).toMatchObject({ channel: "line", tenantId: city.id });
    expect(await mailsTo(email)).toHaveLength(0);

    // A change goes by LINE too.
    await changeReservation(dbs.appDb, {
      tenantId: city.id,
      reservationId: booked.id,
      newSlotId: (await slot()).id,
      actor: { kind: "resident" },
    });
    await processAll();
    pushes = await pushesTo(userId);
    expect(pushes.map((p) => p.messages[0]!.text!.split("\n")[0])).toEqual([
      "【LINE通知テスト市】予約が確定しました",
      "【LINE通知テスト市】予約を変更しました",
    ]);
  });

  it("an unlinked booking still gets e-mail, and no push goes out", async () => {
    const email = "unlinked@example.jp";
    const before = (await ctl.sent(channel.channelId)).length;
    const booked = await book(await resident(email));
    await processAll();
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(booked.confirmationCode);
    expect((await ctl.sent(channel.channelId)).length).toBe(before);
  });

  it("a linked resident who blocked the account (or never followed) gets e-mail instead", async () => {
    const blocker = await ctl.newUser();
    await follow(blocker);
    await withTenant(dbs.appDb, city.id, (tx) => recordBlock(tx, city.id, blocker, new Date()));
    const stranger = await ctl.newUser();
    await book(linkFlowToLine(await resident("blocked@example.jp"), blocker));
    await book(linkFlowToLine(await resident("stranger@example.jp"), stranger));
    await processAll();
    expect(await mailsTo("blocked@example.jp")).toHaveLength(1);
    expect(await mailsTo("stranger@example.jp")).toHaveLength(1);
    expect(await pushesTo(blocker)).toHaveLength(0);
    expect(await pushesTo(stranger)).toHaveLength(0);
  });

  /** A linked, following resident in a new city; `channelSetup`: no LINE channel, or one whose token LINE does not know. */
  async function linkedElsewhere(name: string, email: string, channelSetup: "none" | "unknown-to-line") {
    const town = await makeTenant(dbs.appDb, { name });
    if (channelSetup === "unknown-to-line") await makeLineChannel(dbs.appDb, key, town.id);
    const sid = (await makeService(dbs.appDb, town.id)).id;
    const vid = (await makeVenue(dbs.appDb, town.id)).id;
    const s = await makeSlot(dbs.appDb, town.id, {
      venueId: vid,
      serviceId: sid,
      startsAt: new Date(Date.now() + 5 * 24 * 3600_000),
    });
    const ticketNumber = String(++ticket);
    await makeTicketHolders(dbs.appDb, town.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
    const userId = await ctl.newUser();
    await withTenant(dbs.appDb, town.id, (tx) => recordFollow(tx, town.id, userId, new Date()));
    const start = await startFlow(dbs.appDb, {
      tenantId: town.id,
      ticketNumber,
      birthDate: "1950-04-01",
      channel: "web",
      ip: "10.7.9.9",
    });
    if (!start.ok) throw new Error(start.message);
    const state = linkFlowToLine({ ...start.state, contact: { name: "x", phone: "", email } }, userId);
    expect(
      (
        await bookFromFlow(dbs.appDb, {
          tenantId: town.id,
          state,
          slotId: s.id,
          idempotencyKey: crypto.randomUUID(),
          ip: "10.7.9.9",
        })
      ).ok,
    ).toBe(true);
    await relayAndProcess(dbs.appDb, { smtpPort: smtp.port, key, tenantId: town.id, line });
    return userId;
  }

  it("a linked booking without a LINE channel in the city falls back to e-mail", async () => {
    const userId = await linkedElsewhere("チャネルなし町", "bare@example.jp", "none");
    expect(await mailsTo("bare@example.jp")).toHaveLength(1);
    expect(await pushesTo(userId)).toHaveLength(0);
  });

  it("when LINE refuses the push for good (e.g. a revoked token: 401), the notice goes by e-mail", async () => {
    const userId = await linkedElsewhere("トークン失効町", "revoked@example.jp", "unknown-to-line");
    expect(await mailsTo("revoked@example.jp")).toHaveLength(1);
    expect(await pushesTo(userId)).toHaveLength(0);
  });
});

describe("the LINE notice text", () => {
  const facts = {
    cityName: "紀ノ川市",
    serviceName: "新型コロナワクチン接種",
    lang: "ja",
    dose: 2,
    startsAtText: "2026年12月1日(火) 9:30",
    venueName: "中央公民館",
    venueAddress: "本町1-1",
    whatToBring: "接種券",
    confirmationCode: "ABCD2345",
  };
  it("a cancellation or a closed slot points to a new booking and leaves out what to bring", () => {
    const closed = lineNoticeText({
      ...facts,
      kind: "slot-closed",
      manageUrl: noticeLink({ appOrigin: "https://m.example", slug: "kinokawa", liffId: null, path: "reserve" }),
    });
    expect(closed).toContain("【紀ノ川市】予約していた日時が中止になりました");
    expect(closed).toContain("別の日時でご予約ください");
    expect(closed).toContain("新しい予約はこちら\nhttps://m.example/c/kinokawa/reserve");
    expect(closed).not.toContain("持ち物");
    const cancelled = lineNoticeText({
      ...facts,
      kind: "cancelled",
      manageUrl: noticeLink({
        appOrigin: "https://m.example",
        slug: "kinokawa",
        liffId: "2000000101-abc",
        path: "reserve",
      }),
    });
    expect(cancelled).toContain("https://liff.line.me/2000000101-abc/reserve");
    expect(cancelled).toContain("新型コロナワクチン接種（2回目）");
  });
});
