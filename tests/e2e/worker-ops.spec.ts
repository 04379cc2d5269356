import { expect, test } from "@playwright/test";
import {
  DEMO_CITIES,
  DEMO_VENDOR,
  demoStaff,
  expectNoSeriousA11yViolations,
  loginAsCityStaff,
  loginAsVendor,
} from "./support";

// Worker operations as staff see them: failed jobs for vendor staff, friend counts on the city dashboard.

test("vendor staff find the failed-jobs page in the console navigation", async ({ page }) => {
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page
    .getByRole("navigation", { name: "ベンダーメニュー" })
    .getByRole("link", { name: "失敗したジョブ" })
    .click();
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
  await expect(
    page.getByRole("table", { name: /直近\d+日の友だち数/ }).getByRole("rowheader", { name: today }),
  ).toBeVisible();
  await expect(page.getByRole("table", { name: "年代別" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("an admin uploads a ticket-holder roster: the worker imports it while the page moves from 待機中 to 完了 on its own", async ({
  page,
}) => {
  const { kinokawa } = DEMO_CITIES;
  const admin = demoStaff(kinokawa.slug, "admin");
  await loginAsCityStaff(page, kinokawa.slug, admin.email, admin.password);
  await page.goto(`/c/${kinokawa.slug}/admin/roster`);
  // Numbers of their own (not in the demo roster), so other specs' residents are untouched.
  const stamp = String(Date.now()).slice(-6);
  const csv = `接種券番号,生年月日\r\n9871${stamp},S35.1.1\r\n9872${stamp},H2.2.2\r\n`;
  await page
    .getByLabel("名簿のCSVファイル")
    .setInputFiles({ name: "e2e名簿.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "取り込む" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "名簿の取り込み結果" })).toBeVisible();
  // The web process only stored the file; the demo's real worker imports it and the page polls.
  await expect(page.getByText("取り込みが完了しました。")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/全2行のうち、新規登録 2件/)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
