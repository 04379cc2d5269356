import { expect, test } from "@playwright/test";
import { DEMO_CITIES, DEMO_VENDOR, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff, loginAsVendor } from "./support";

// Worker operations as staff see them: failed jobs for vendor staff, friend counts on the city dashboard.

test("vendor staff find the failed-jobs page in the console navigation", async ({ page }) => {
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.getByRole("navigation", { name: "ベンダーメニュー" }).getByRole("link", { name: "失敗したジョブ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "失敗したジョブ" })).toBeVisible();
  await expect(page.getByRole("table", { name: /失敗したジョブ（\d+件）/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("an analyst takes today's friend count on the city dashboard and sees it in the trend", async ({ page }) => {
  const { kinokawa } = DEMO_CITIES;
  const analyst = demoStaff(kinokawa.slug, "analyst");
  await loginAsCityStaff(page, kinokawa.slug, analyst.email, analyst.password);
  await expect(page.getByRole("heading", { name: "LINE友だちの推移" })).toBeVisible();
  await page.getByRole("button", { name: "今すぐ集計する" }).click();
  await expect(page.getByText(/の友だち数を集計しました/)).toBeVisible();
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());
  await expect(page.getByRole("table", { name: /直近\d+日の友だち数/ }).getByRole("rowheader", { name: today })).toBeVisible();
  await expect(page.getByRole("table", { name: "年代別" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
