import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, expectTouchTargets, loginAsCityStaff } from "./support";

// Issue 13.5: a resident born in 1950 books on a phone (390×844) with few taps — the era button and
// two digits for the birth year, a day and then a time — and leaves with the time range, a QR code
// for check-in and an .ics file. Every page is axe-checked and its touch targets measured.
// Data: みなとデモ町's demo ticket holder 1000000004 (1950-01-15, 昭和25年), used only here.

const city = DEMO_CITIES.minato.slug;
const RESIDENT = { ticket: "1000000004", month: "1", day: "15" };

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

async function checkPage(page: Page) {
  await expectNoSeriousA11yViolations(page);
  await expectTouchTargets(page);
}

test("a resident born in 1950 books with the era button, a day then a time, and gets the range, QR and .ics", async ({
  page,
}) => {
  await page.goto(`/c/${city}/reserve`);
  await checkPage(page);
  await page.getByLabel("接種券番号（10桁）").fill(RESIDENT.ticket);
  // 昭和 then 25: two taps and two digits, where the old year list needed ~77 flicks to reach 1950.
  await page.getByLabel("昭和", { exact: true }).check();
  await page.getByLabel("生まれた年").fill("２５");
  await page.getByLabel("生まれた月").selectOption(RESIDENT.month);
  await page.getByLabel("生まれた日").selectOption(RESIDENT.day);
  await page.getByRole("button", { name: "次へ（連絡先の入力）" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "連絡先の入力" })).toBeVisible();
  await checkPage(page);
  await page.getByLabel("お名前").fill("みなと 太郎");
  await page.getByLabel("電話番号").fill("090-2222-3333");
  await page.getByRole("button", { name: "次へ（会場を選ぶ）" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "会場を選ぶ" })).toBeVisible();
  await checkPage(page); // includes axe's label-content-name-mismatch on the venue buttons
  await page
    .getByRole("link", { name: /^この会場で日時を選ぶ/ })
    .first()
    .click();

  // Day first: a short page of days with room and how many places are left.
  await expect(page.getByRole("heading", { level: 2, name: "日にちを選ぶ" })).toBeVisible();
  const days = page.getByRole("link", { name: /残り\d+人分/ });
  expect(await days.count()).toBeGreaterThan(3);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(3000);
  await checkPage(page);
  await days.nth(3).click();

  await expect(page.getByRole("heading", { level: 2, name: /の時間を選ぶ$/ })).toBeVisible();
  await checkPage(page);
  const time = page.locator("main button[name=slot]:not([disabled])").nth(5);
  const range = (await time.locator("span").first().textContent())!.trim(); // "14:00〜14:30"
  expect(range).toMatch(/^\d{1,2}:\d{2}〜\d{1,2}:\d{2}$/);
  await time.click();

  await expect(page.getByRole("heading", { level: 1, name: "予約内容の確認" })).toBeVisible();
  await checkPage(page);
  await page.getByRole("button", { name: "この内容で予約する" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "予約完了" })).toBeVisible();
  await checkPage(page);
  const whenRow = page.locator("main dl div").filter({ hasText: "日時" }).locator("dd");
  await expect(whenRow).toContainText(range);
  await expect(page.getByText("ウェブ", { exact: true })).toBeVisible();
  const code = page.url().split("/").at(-1)!;
  const qr = page.getByRole("img", { name: `予約番号 ${code} のQRコード` });
  await expect(qr.locator("svg")).toBeVisible();
  expect((await qr.boundingBox())!.width).toBeGreaterThan(150);

  // The .ics: DTSTART is the chosen Japan time, written in UTC.
  const [y, mo, d] = (await whenRow.textContent())!
    .match(/(\d{4})年(\d{1,2})月(\d{1,2})日/)!
    .slice(1)
    .map(Number);
  const [h, mi] = range.split("〜")[0]!.split(":").map(Number);
  const startUtc = new Date(Date.UTC(y!, mo! - 1, d!, h! - 9, mi!));
  const stamp = startUtc.toISOString().replace(/[-:]/g, "").slice(0, 13) + "00Z";
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "カレンダーに追加" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`reservation-${code}.ics`);
  const ics = await readFile((await download.path())!, "utf8");
  expect(ics).toContain("BEGIN:VEVENT");
  expect(ics).toMatch(new RegExp(`DTSTART:${stamp}\\r?\\n`));
  expect(ics).toContain(code);
});

test("a typed 昭和64 after 7 January is refused politely, on the year field", async ({ page }) => {
  await page.goto(`/c/${city}/reserve`);
  await page.getByLabel("接種券番号（10桁）").fill("1000000014");
  await page.getByLabel("生まれた年").fill("昭和64");
  await page.getByLabel("生まれた月").selectOption("1");
  await page.getByLabel("生まれた日").selectOption("8");
  await page.getByRole("button", { name: "次へ（連絡先の入力）" }).click();
  await expect(page.getByText("その年月日は選んだ元号の期間にありません。")).toBeVisible();
  await expect(page.getByLabel("生まれた年")).toHaveValue("昭和64");
  await checkPage(page);
  // The same holder as 平成元年, typed as "H1": accepted.
  await page.getByLabel("生まれた年").fill("H1");
  await page.getByRole("button", { name: "次へ（連絡先の入力）" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "連絡先の入力" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the era button, the typed year and the day-first step work with plain forms", async ({ page }) => {
    await page.goto(`/c/${city}/reserve`);
    await page.getByLabel("接種券番号（10桁）").fill("1000000002"); // 1938-04-12, 昭和13年
    await page.getByLabel("昭和", { exact: true }).check();
    await page.getByLabel("生まれた年").fill("13");
    await page.getByLabel("生まれた月").selectOption("4");
    await page.getByLabel("生まれた日").selectOption("12");
    await page.getByRole("button", { name: "次へ（連絡先の入力）" }).click();
    await page.getByLabel("お名前").fill("みなと 花子");
    await page.getByLabel("電話番号").fill("0736-22-3344");
    await page.getByRole("button", { name: "次へ（会場を選ぶ）" }).click();
    await page
      .getByRole("link", { name: /^この会場で日時を選ぶ/ })
      .first()
      .click();
    await page
      .getByRole("link", { name: /残り\d+人分/ })
      .nth(2)
      .click();
    await page.getByRole("link", { name: "別の日を選ぶ" }).click();
    await page
      .getByRole("link", { name: /残り\d+人分/ })
      .nth(2)
      .click();
    await page.locator("main button[name=slot]:not([disabled])").first().click();
    await expect(page.getByRole("heading", { level: 1, name: "予約内容の確認" })).toBeVisible();
  });
});

test("/favicon.ico exists (no 404 in every browser's first request)", async ({ request }) => {
  const res = await request.get("/favicon.ico");
  expect(res.status()).toBe(200);
  expect((await res.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0])); // ICO header
});

test("no hydration-mismatch warnings on resident and admin pages (issue 13.8)", async ({ page }) => {
  const warnings: string[] = [];
  page.on("console", (m) => {
    if (/hydrat|did not match|server rendered|#418|#423|#425/i.test(m.text()))
      warnings.push(`${page.url()}: ${m.text().slice(0, 200)}`);
  });
  page.on("pageerror", (e) => {
    if (/hydrat|#418|#423|#425/i.test(e.message)) warnings.push(`${page.url()}: ${e.message.slice(0, 200)}`);
  });
  for (const path of [`/c/${city}`, `/c/${city}/reserve`, `/c/${city}/reservation`]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  const admin = demoStaff(city, "admin");
  await loginAsCityStaff(page, city, admin.email, admin.password);
  for (const path of ["", "/slots", "/phone", "/broadcasts/new", "/billing", "/venue-day"]) {
    await page.goto(`/c/${city}/admin${path}`);
    await page.waitForLoadState("networkidle");
  }
  expect(warnings).toEqual([]);
});
