import type { Db } from "./client.server";
import { makeTenant } from "../tests/factories/tenants";
import { makeStaff, makeVendor } from "../tests/factories/staff";
import { makeLineChannel, setTenantTopics } from "../tests/factories/line";
import { enrolTotp } from "../tests/factories/two-factor";
import { masterKey } from "../app/lib/crypto.server";
import { env } from "../app/lib/env.server";
import { DEFAULT_TOPICS } from "./schema/index";
import { seedDemoFaq } from "./seed-faq";
import { seedDemoReports } from "./seed-reports";
import { seedDemoStatus } from "./seed-status";
import { seedDemoReservations, type DemoTicketHolder } from "./seed-reservations";
import { withTenant } from "./with-tenant.server";
import { ensureRichMenus } from "../app/features/line-richmenu/store.server";
import { seedFriends } from "../tests/factories/broadcasts";
import { seedDemoBroadcast } from "./seed-broadcasts";
import { importShelterFixture } from "../tests/factories/shelters";
import { importGarbageFixture } from "../tests/factories/garbage";
import { setPushTime } from "../app/features/garbage/garbage.server";
import { seedInsightsHistory } from "./seed-insights";

/**
 * Demo data: two fictional cities with one account per role, and a vendor account. Uses the same
 * factories as the tests. The passwords are public demo values, printed by `npm run demo`.
 */
export const DEMO_PASSWORDS = { vendor: "demo-vendor-pass-2026", staff: "demo-admin-pass-2026" } as const;

/**
 * The demo vendor's TOTP key (two-factor is mandatory for vendor staff). Clearly fake and public on
 * purpose, like the passwords: add it to an authenticator app, or let the e2e helper compute codes.
 */
export const DEMO_VENDOR_TOTP_SECRET = "MADOGUCHIDEMOTOTPSECRETNOTREAL22";

export const DEMO_CITIES = [
  {
    slug: "kinokawa-demo",
    name: "紀ノ川デモ市",
    prefecture: "和歌山県",
    population: 60_000,
    areas: ["打田", "粉河", "那賀", "桃山", "貴志川"],
    // Fictional numbers: no Japanese exchange code starts with 0, so "0736-00-…" reaches nobody.
    contact: {
      phones: [
        { label: "予約専用ダイヤル", number: "0736-00-1234", hours: "平日 8:30〜17:15" },
        { label: "市役所 代表", number: "0736-00-1111", hours: "平日 8:30〜17:15" },
      ],
      webUrl: "https://www.kinokawa-demo.example/",
      disasterUrl: "https://www.kinokawa-demo.example/bousai/",
      disasterPhone: "0736-00-1199",
    },
  },
  {
    slug: "minato-demo",
    name: "みなとデモ町",
    prefecture: "静岡県",
    population: 12_000,
    areas: ["港", "本町", "山手"],
    contact: {
      phones: [
        { label: "町役場 健康福祉課", number: "0558-00-5678", hours: "平日 8:30〜17:00（土日祝・年末年始を除く）" },
      ],
      webUrl: "https://www.minato-demo.example/",
      disasterUrl: "https://www.minato-demo.example/bosai/",
      disasterPhone: "0558-00-0119",
    },
  },
] as const;

/**
 * Each demo city's LINE channel: clearly fake credentials (public on purpose, they only work against
 * the LINE emulator, which the demo registers them with). Topics: the four defaults plus one local.
 */
export const DEMO_LINE_CHANNELS = {
  "kinokawa-demo": {
    channelId: "2000000001",
    channelSecret: "demo-kinokawa-secret-not-real",
    channelAccessToken: "demo-kinokawa-token-not-real",
    loginChannelId: "2000000101",
    liffId: "2000000101-kinokawa",
    botUserId: "U0000000000000000000000000000d001",
    topics: [...DEFAULT_TOPICS, { key: "health", label: "健康・検診" }],
  },
  "minato-demo": {
    channelId: "2000000002",
    channelSecret: "demo-minato-secret-not-real",
    channelAccessToken: "demo-minato-token-not-real",
    loginChannelId: "2000000102",
    liffId: "2000000102-minato",
    botUserId: "U0000000000000000000000000000d002",
    topics: [...DEFAULT_TOPICS, { key: "port", label: "港・漁業" }],
  },
} as const;

export type SeededAccount = { where: string; email: string; password: string; role: string };

export async function seedDemo(
  db: Db,
  key = masterKey(env().MADOGUCHI_MASTER_KEY),
): Promise<{ accounts: SeededAccount[]; holders: DemoTicketHolder[] }> {
  const accounts: SeededAccount[] = [];
  const tenantIds: string[] = [];
  const vendor = await makeVendor(db, {
    email: "vendor@madoguchi.example",
    password: DEMO_PASSWORDS.vendor,
    displayName: "運営 太郎",
  });
  await enrolTotp(db, key, "vendor", vendor.user.id, DEMO_VENDOR_TOTP_SECRET);
  accounts.push({ where: "/vendor/login", email: vendor.user.email, password: vendor.password, role: "vendor" });
  for (const city of DEMO_CITIES) {
    const tenant = await makeTenant(db, {
      ...city,
      areas: [...city.areas],
      contact: { ...city.contact, phones: city.contact.phones.map((p) => ({ ...p })) },
      status: "active",
    });
    tenantIds.push(tenant.id);
    const { topics, ...line } = DEMO_LINE_CHANNELS[city.slug];
    await makeLineChannel(db, key, tenant.id, line);
    await setTenantTopics(db, tenant.id, [...topics]);
    // Starting rich menus (everyday + disaster) to edit in the admin; publishing is left to the demo user.
    await withTenant(db, tenant.id, (tx) => ensureRichMenus(tx, tenant));
    // 40 LINE friends with survey answers, so a broadcast's recipient count means something in the demo.
    await seedFriends(db, tenant.id, {
      count: 40,
      seed: `demo-${city.slug}`,
      areas: [...city.areas],
      topics: topics.map((t) => t.key),
    });
    // A 5374-shaped garbage dataset for the first city's areas (tests/fixtures/garbage), so 「ごみの日」
    // answers in LINE, /c/<city>/garbage shows the calendar and friends with ごみ get the 18:00 push.
    // The second city has none: the demo also shows the "not registered yet" answers.
    if (city.slug === "kinokawa-demo") {
      await importGarbageFixture(db, tenant);
      await setPushTime(db, tenant.id, "18:00", { staffUserId: null });
      // 15 shelters from a GSI-shaped file (tests/fixtures/shelters, issue 18), all 未開設 as in calm
      // times: staff open them on /admin/shelters/status, residents find them from 避難所 in LINE.
      await importShelterFixture(db, tenant.id);
    }
    // A realistic よくある質問 (33 entries) and a few 未回答 questions (issue 16).
    await seedDemoFaq(db, tenant.id);
    // 通報 in every state, with photos, notes and an after-photo, and the city's box (issue 17).
    await seedDemoReports(db, tenant.id, city.slug);
    for (const [role, name] of [
      ["admin", "管理 花子"],
      ["operator", "窓口 次郎"],
      ["analyst", "分析 三郎"],
    ] as const) {
      const email = `${role}@${city.slug}.example`;
      const staff = await makeStaff(db, {
        tenantId: tenant.id,
        role,
        email,
        password: DEMO_PASSWORDS.staff,
        displayName: name,
      });
      if (role === "admin" && city.slug === "kinokawa-demo") await seedDemoBroadcast(db, tenant.id, staff.user.id);
      // 申請状況 (issue 19): one open lookup with the demo numbers of db/seed-status.ts.
      if (role === "admin" && city.slug === "kinokawa-demo") await seedDemoStatus(db, tenant.id, staff.user.id);
      accounts.push({ where: `/c/${city.slug}/admin/login`, email, password: DEMO_PASSWORDS.staff, role });
    }
  }
  const holders = await seedDemoReservations(db, tenantIds);
  // Eight months of history for 分析 (issue 20): friends joining over the months, bookings every day
  // by LINE, web and phone, enough that the daily charts show counts above the 10-person threshold.
  await seedInsightsHistory(db, tenantIds[0]!, {
    friends: 3000,
    holders: 12000,
    days: 240,
    // History ends yesterday: upcoming days belong to the demo's real bookings (reminder call list,
    // venue-day lists, slot counts), which the history must not crowd.
    futureDays: -1,
    areas: [...DEMO_CITIES[0].areas],
  });
  return { accounts, holders };
}
