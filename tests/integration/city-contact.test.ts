import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, tenants, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordFollow } from "~/features/line/friends.server";
import {
  bookFromFlow,
  flowCookie,
  linkFlowToLine,
  startFlow,
  type FlowState,
} from "~/features/reservations/resident-flow.server";
import { setCityContact } from "~/features/tenants/city-contact.server";
import { contactFormSchema, cityContactSchema, isValidPhone, telHref, type CityContact } from "~/lib/city-contact";
import { closeRedis } from "~/lib/redis.server";
import * as adminContactPage from "~/routes/c.$city.admin.contact";
import * as contactStep from "~/routes/c.$city.reserve.contact";
import * as donePage from "~/routes/c.$city.reserve.done.$code";
import { forgetTenant } from "~/tenants/resolve.server";
import { staffContext, tenantContext } from "~/tenants/context";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { testDbs } from "#tests/setup/db";
import { startNoticeWorld, type NoticeWorld } from "#tests/setup/notice-world";

/**
 * Issue 13.1/13.2: the city's 問い合わせ窓口 (validation, the admin page, audited), and the done page
 * and e-mails promising exactly the channel the notice jobs then use.
 */
const dbs = testDbs();
let w: NoticeWorld;
let city: Tenant;
let serviceId: string;
let venueId: string;
let ticket = 3_600_000_000;
let day = 3;

const CONTACT: CityContact = {
  phones: [{ label: "予約専用ダイヤル", number: "0736-00-1234", hours: "平日 8:30〜17:15" }],
  webUrl: "https://www.contact-test.example/",
  disasterUrl: null,
  disasterPhone: null,
};

beforeAll(async () => {
  w = await startNoticeWorld(dbs.appDb, { cityName: "問い合わせテスト市", loginChannelSecret: "login-secret-contact" });
  city = w.city;
  serviceId = (await makeService(dbs.appDb, city.id)).id;
  venueId = (await makeVenue(dbs.appDb, city.id, { name: "中央公民館", address: "本町1-1" })).id;
});
afterAll(async () => {
  await w.close();
  await closeRedis();
  await dbs.close();
});

const reload = async () => {
  const [t] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, city.id));
  city = t!;
  return city;
};

function ctx(staff?: Awaited<ReturnType<typeof makeStaff>>) {
  const c = new RouterContextProvider();
  c.set(tenantContext, city);
  if (staff) c.set(staffContext, { user: staff.user, membership: staff.membership, sessionId: "s" });
  return c;
}
const post = (path: string, body: Record<string, string>, cookie?: string) =>
  new Request(`http://madoguchi.test/c/${city.slug}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(body),
  });

describe("contact validation", () => {
  it("accepts Japanese numbers as people write them and refuses anything else", () => {
    for (const ok of [
      "073-600-1234",
      "0736001234",
      "０７３６－００－１２３４",
      "0120-000-123",
      "090-1234-5678",
      "(073) 600-1234",
    ])
      expect(isValidPhone(ok), ok).toBe(true);
    for (const bad of [
      "12345",
      "073-600-123",
      "090-1234-56789",
      "+81-73-600-1234",
      "073-600-1234 内線5",
      "abc",
      "110",
      "",
    ])
      expect(isValidPhone(bad), bad).toBe(false);
    expect(telHref("０７３６ー００ー１２３４")).toBe("tel:0736001234");
  });

  it("the form reports each half-filled row and bad URL on its own field, in Japanese", () => {
    const r = contactFormSchema({ required: true }).safeParse({
      phone1Label: "予約専用ダイヤル",
      phone1Number: "073-600-12",
      phone1Hours: "平日 8:30〜17:15",
      phone2Label: "代表",
      webUrl: "javascript:alert(1)",
      disasterPhone: "119",
    });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(byField.phone1Number).toContain("0から始まる10桁か11桁");
    expect(byField.phone2Number).toBeDefined();
    expect(byField.phone2Hours).toContain("受付時間を入力してください");
    expect(byField.webUrl).toContain("https://");
    expect(byField.disasterPhone).toContain("0から始まる");
  });

  it("all empty is 'not set' in the wizard but an error on the admin page; the stored shape is normalised", () => {
    expect(contactFormSchema({ required: false }).parse({})).toBeNull();
    expect(contactFormSchema({ required: true }).safeParse({}).error?.issues[0]?.path).toEqual(["phone1Number"]);
    const v = contactFormSchema({ required: true }).parse({
      phone1Label: " 予約専用ダイヤル ",
      phone1Number: "０７３６ー００ー１２３４",
      phone1Hours: "平日 8:30〜17:15",
    });
    expect(v).toEqual({ ...CONTACT, webUrl: null });
    expect(cityContactSchema.safeParse({ ...CONTACT, phones: [] }).success).toBe(false);
  });
});

describe("the admin's 問い合わせ窓口 page", () => {
  it("an admin saves the numbers (audited); bad input writes nothing; an operator cannot", async () => {
    const admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
    const bad = (await adminContactPage.action({
      request: post("/admin/contact", { phone1Label: "代表", phone1Number: "12-34", phone1Hours: "平日" }),
      context: ctx(admin),
      params: { city: city.slug },
      unstable_pattern: "",
    } as never)) as { ok: false; errors: Record<string, string> };
    expect(bad.ok).toBe(false);
    expect(bad.errors.phone1Number).toContain("電話番号は");
    expect((await reload()).contact).toBeNull();

    const res = (await adminContactPage.action({
      request: post("/admin/contact", {
        phone1Label: "予約専用ダイヤル",
        phone1Number: "0736-00-1234",
        phone1Hours: "平日 8:30〜17:15",
        webUrl: "https://www.contact-test.example/",
      }),
      context: ctx(admin),
      params: { city: city.slug },
      unstable_pattern: "",
    } as never)) as Response;
    expect(res.status).toBe(302);
    expect((await reload()).contact).toEqual(CONTACT);
    forgetTenant(city.slug);
    const audits = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "tenant.contact")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: admin.user.id, detail: { from: null, to: CONTACT } });

    const operator = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
    await expect(
      adminContactPage.action({
        request: post("/admin/contact", { phone1Label: "x", phone1Number: "0736001234", phone1Hours: "x" }),
        context: ctx(operator),
        params: { city: city.slug },
        unstable_pattern: "",
      } as never),
    ).rejects.toMatchObject({ init: { status: 403 } });
  });
});

async function resident(email: string, phone = ""): Promise<FlowState> {
  const ticketNumber = String(++ticket);
  await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
  const r = await startFlow(dbs.appDb, {
    tenantId: city.id,
    ticketNumber,
    birthDate: "1950-04-01",
    channel: "line",
    ip: `10.9.0.${ticket % 250}`,
  });
  if (!r.ok) throw new Error(r.message);
  return { ...r.state, contact: { name: "紀ノ川 花子", phone, email }, exp: Date.now() + 60_000 };
}
async function book(state: FlowState) {
  const slot = await makeSlot(dbs.appDb, city.id, {
    venueId,
    serviceId,
    startsAt: new Date(Date.now() + day++ * 24 * 3600_000),
  });
  const r = await bookFromFlow(dbs.appDb, {
    tenantId: city.id,
    state,
    slotId: slot.id,
    idempotencyKey: crypto.randomUUID(),
    ip: "10.9.1.1",
  });
  if (!r.ok) throw new Error(r.message);
  return r.reservation;
}
async function promised(code: string) {
  const res = (await donePage.loader({
    request: new Request(`http://madoguchi.test/c/${city.slug}/reserve/done/${code}`),
    context: ctx(),
    params: { city: city.slug, code },
    unstable_pattern: "",
  } as never)) as unknown as { data: { notices: { channel: string; maskedEmail?: string } } };
  return res.data.notices;
}

describe("promise only what will happen (issue 13.2)", () => {
  it("linked and following: LINE, and the push is what arrives (with the city's number)", async () => {
    await setCityContact(dbs.appDb, city, CONTACT, {
      staffUserId: (await makeStaff(dbs.appDb, { tenantId: city.id })).user.id,
    });
    await reload();
    const userId = await w.ctl.newUser();
    await withTenant(dbs.appDb, city.id, (tx) => recordFollow(tx, city.id, userId, new Date()));
    const r = await book(linkFlowToLine(await resident(""), userId));
    expect(await promised(r.confirmationCode)).toEqual({ channel: "line" });
    await w.processAll();
    const pushes = await w.pushesTo(userId);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.messages[0]!.text).toContain("予約専用ダイヤル 0736-00-1234（平日 8:30〜17:15）");
  });

  it("a channel=line booking that was not linked promises the e-mail it gets, never LINE", async () => {
    const r = await book(await resident("hanako.contact@example.jp"));
    expect(await promised(r.confirmationCode)).toEqual({ channel: "email", maskedEmail: "h*************@example.jp" });
    await w.processAll();
    const mails = await w.mailsTo("hanako.contact@example.jp");
    expect(mails).toHaveLength(1);
    const body = JSON.stringify(mails[0]);
    expect(body).toContain("このメールアドレスにお送りします");
    expect(body).toContain("0736-00-1234");
    expect(body).toContain("tel:0736001234");
  });

  it("linked to a LINE user who blocked the account and no e-mail: nothing is promised", async () => {
    const r = await book(linkFlowToLine(await resident("", "09011112222"), await w.ctl.newUser()));
    expect(await promised(r.confirmationCode)).toEqual({ channel: "none" });
  });
});

describe("the contact step inside LINE", () => {
  it("a booking linked to LINE needs no phone or e-mail; an unlinked one still does", async () => {
    const step = async (state: FlowState) =>
      (await contactStep.action({
        request: post(
          "/reserve/contact",
          { name: "紀ノ川 花子", phone: "", email: "" },
          flowCookie(city, state).split(";")[0],
        ),
        context: ctx(),
        params: { city: city.slug },
        unstable_pattern: "",
      } as never)) as Response | { ok: false; errors: Record<string, string> };
    const linked = await step(linkFlowToLine(await resident(""), await w.ctl.newUser()));
    expect((linked as Response).status).toBe(302);
    const unlinked = (await step(await resident(""))) as { ok: false; errors: Record<string, string> };
    expect(unlinked.errors.phone).toContain("少なくともどちらか一つ");
  });
});
