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

test("an analyst sees the LINE friends section on the city dashboard", async ({ page }) => {
  const { kinokawa } = DEMO_CITIES;
  const analyst = demoStaff(kinokawa.slug, "analyst");
  await loginAsCityStaff(page, kinokawa.slug, analyst.email, analyst.password);
  await expect(page.getByRole("heading", { name: "LINE友だちの推移" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
