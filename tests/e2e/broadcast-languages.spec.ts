import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// Issue 15 phase 2 (ADR 045/046), through the real pages and the LINE simulator: an admin composes a
// broadcast with an English version, sees a preview per language and the count per language; the
// resident who chose English gets the English text, the one who chose Japanese the Japanese. The
// demo's English-speaking resident (Alex, seeded with a booking linked to LINE) has his booking
// confirmation in English.

const city = DEMO_CITIES.kinokawa;

const residents = (page: Page) => page.getByRole("list", { name: `${city.name}の住民` });
const resident = (page: Page, label: string) => residents(page).getByRole("link", { name: label, exact: true });
const log = (page: Page) => page.getByRole("log", { name: "トーク履歴" });
const quick = (page: Page) => page.getByRole("region", { name: "クイックリプライ" });

async function followAndChoose(page: Page, label: string, language: "日本語" | "English", question: string) {
  await resident(page, label).click();
  await expect(resident(page, label)).toHaveAttribute("aria-current", "page");
  await page.getByRole("button", { name: "友だち追加", exact: true }).click();
  await quick(page).getByRole("button", { name: language, exact: true }).click();
  await expect(log(page)).toContainText(question);
}

test("a broadcast with an English version reaches the English-speaking resident in English, the Japanese one in Japanese", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await page.goto(`/dev/line?city=${city.slug}`);
  // The demo's English-speaking friend: his LINE-linked booking was confirmed in English.
  await resident(page, "Alex（English）").click();
  await expect(log(page)).toContainText("Your booking is confirmed", { timeout: 20_000 });
  await expect(log(page)).toContainText("Date and time: ");
  await expect(log(page)).not.toContainText("予約が確定しました");

  await followAndChoose(page, "住民Ａ", "日本語", "【質問1】性別を教えてください。");
  await followAndChoose(page, "住民Ｃ", "English", "[Question 1] What is your gender?");

  const staff = await browser.newContext();
  const admin = await staff.newPage();
  const { email, password } = demoStaff(city.slug, "admin");
  await loginAsCityStaff(admin, city.slug, email, password);
  await admin.goto(`/c/${city.slug}/admin/broadcasts/new`);
  await expect(admin.getByRole("heading", { level: 1, name: "新しい配信" })).toBeVisible();

  const stamp = Date.now();
  const ja = `水道工事のため、明日は断水します ${stamp}`;
  const en = `Water will be cut off tomorrow for pipe works ${stamp}`;
  await admin.getByLabel("件名（管理用）").fill("断水のお知らせ");
  await admin.getByLabel("メッセージ", { exact: true }).fill(ja);
  await admin.getByLabel("メッセージ（English）", { exact: true }).fill(en);
  // One preview per version; the counts per language.
  await expect(admin.getByRole("figure", { name: "LINEでの表示イメージ（日本語）" })).toContainText(ja);
  await expect(admin.getByRole("figure", { name: "LINEでの表示イメージ（English）" })).toContainText(en);
  await expect(admin.getByRole("status")).toContainText(/配信対象：[0-9,]+人/);
  await expect(admin.getByRole("status")).toContainText(/言語別：日本語 [0-9,]+人、English (10人未満|[0-9,]+人)/);
  await expectNoSeriousA11yViolations(admin);
  await admin.getByRole("button", { name: "今すぐ配信する" }).click();

  await expect(admin.getByRole("heading", { level: 1, name: "断水のお知らせ" })).toBeVisible();
  await expect(admin.getByRole("figure", { name: "LINEでの表示イメージ（English）" })).toContainText(en);
  await expect(admin.getByText("完了：100%")).toBeVisible({ timeout: 30_000 });
  await staff.close();

  await resident(page, "住民Ｃ").click();
  await expect(log(page)).toContainText(en, { timeout: 15_000 });
  await expect(log(page)).not.toContainText(ja);
  await resident(page, "住民Ａ").click();
  await expect(log(page)).toContainText(ja, { timeout: 15_000 });
  await expect(log(page)).not.toContainText(en);
});
