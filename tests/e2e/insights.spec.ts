import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// Insights through the real pages on the demo seed (eight months of history): the dashboard draws
// non-empty SVG charts without a single CSP violation and is axe-clean; a figure's CSV is what the
// table shows; the audit viewer filters and exports (the export appears in the log itself).

const { kinokawa } = DEMO_CITIES;

test("an analyst reads the dashboard: charts drawn, tables, CSV, no CSP violation, axe-clean", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.text().includes("Content Security Policy")) violations.push(m.text());
  });
  const analyst = demoStaff(kinokawa.slug, "analyst");
  await loginAsCityStaff(page, kinokawa.slug, analyst.email, analyst.password);
  await page.getByRole("navigation", { name: "管理メニュー" }).getByRole("link", { name: "分析" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "利用状況の分析" })).toBeVisible();

  const friends = page.getByRole("region", { name: "LINE友だち数の推移" });
  await expect(friends.locator("svg polyline").first()).toBeVisible();
  const bookings = page.getByRole("region", { name: "予約数（受付経路別・日別）" });
  expect(await bookings.locator("svg rect").count()).toBeGreaterThan(10);
  await bookings.getByText("数値を表で見る").click();
  await expect(bookings.getByRole("table")).toContainText("LINE");
  // Analysts see aggregates only: no link to the lists of residents.
  await expect(bookings.getByRole("link", { name: "当日の予約一覧を開く" })).toHaveCount(0);

  const download = page.waitForEvent("download");
  await bookings.getByRole("link", { name: "この図の数値をCSVで保存" }).click();
  const csv = readFileSync(await (await download).path(), "utf8");
  expect(csv).toContain("受付日,LINE,ウェブ,電話,うち代理,合計");
  expect(csv).not.toMatch(/,[1-9](,|\r?\n)/);

  await expectNoSeriousA11yViolations(page);
  await page.getByRole("link", { name: "議会報告用の印刷ページ" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("利用状況報告");
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "管理メニュー" })).toBeHidden();
  await expect(page.getByRole("table").first()).toBeVisible();
  expect(violations).toEqual([]);
});

test("an admin filters the audit log and exports it; the export is in the log", async ({ page }) => {
  const admin = demoStaff(kinokawa.slug, "admin");
  await loginAsCityStaff(page, kinokawa.slug, admin.email, admin.password);
  await page.goto(`/c/${kinokawa.slug}/admin/audit`);
  await expect(page.getByRole("heading", { level: 1, name: "操作記録" })).toBeVisible();
  await page.getByLabel("操作者").selectOption({ label: "管理 花子" });
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/actor=/);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /この条件でCSVに保存/ }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await page.reload(); // the action list is read when the page loads
  await page.getByLabel("操作", { exact: true }).selectOption("audit.export");
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page.getByRole("table", { name: "操作記録" })).toContainText("audit.export");
  await expectNoSeriousA11yViolations(page);
});
