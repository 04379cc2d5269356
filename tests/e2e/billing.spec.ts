import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import {
  DEMO_CITIES,
  DEMO_VENDOR,
  STRIPE_FAKE_URL,
  demoStaff,
  expectNoSeriousA11yViolations,
  loginAsCityStaff,
  loginAsVendor,
} from "./support";

// Billing in a real browser against the demo stack and its Stripe fake: the demo leaves みなとデモ町's
// invoice past due; the fake records a bank transfer (its control API, as Stripe would on payment),
// its signed webhooks reach /webhooks/stripe, and both consoles show the city as paid.

const { minato, kinokawa } = DEMO_CITIES;

async function fakeInvoices(tenantId: string) {
  const res = await fetch(`${STRIPE_FAKE_URL}/__fake/invoices?tenantId=${tenantId}`);
  expect(res.ok).toBe(true);
  return ((await res.json()) as { data: { id: string; status: string; number: string }[] }).data;
}

async function openCityBilling(page: Page, cityName: string) {
  await page.getByRole("navigation", { name: "ベンダーメニュー" }).getByRole("link", { name: "請求の状況" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("請求の状況");
  await page.getByRole("link", { name: cityName }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${cityName} の請求`);
  return page.url().match(/\/vendor\/cities\/([0-9a-f-]{36})\/billing/)![1]!;
}

test("a city's unpaid invoice, paid at the Stripe fake, shows as paid to the vendor and to the city admin", async ({
  page,
  browser,
}) => {
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.getByRole("navigation", { name: "ベンダーメニュー" }).getByRole("link", { name: "請求の状況" }).click();
  const row = page.getByRole("row", { name: new RegExp(minato.name) });
  await expect(row.locator("[data-billing-status]")).toHaveText(/^支払期限超過（未払い 1件・[\d,]+円・支払期限 /);
  // Issue 13.7: 紀ノ川's first invoice is open and not yet due — never 「契約中（支払済み）」 beside it.
  await expect(page.getByRole("row", { name: new RegExp(kinokawa.name) }).locator("[data-billing-status]")).toHaveText(
    /^契約中（未払い 1件・[\d,]+円・支払期限 \d{4}年\d{1,2}月\d{1,2}日）$/,
  );
  await expectNoSeriousA11yViolations(page);

  const tenantId = await openCityBilling(page, minato.name);
  await expect(page.locator("[data-billing-status]")).toHaveText(/^支払期限超過（未払い 1件・/);
  await expect(page.getByText("お支払いが確認できていない請求書があります")).toBeVisible();
  // Within the grace period: no suspend button, and the reason is given.
  await expect(page.getByRole("list", { name: "停止できない理由" })).toContainText("猶予期間中");
  await expect(page.getByRole("button", { name: "未払いのため利用を停止する" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  const open = (await fakeInvoices(tenantId)).find((i) => i.status === "open");
  expect(open, "the demo leaves one open invoice for みなとデモ町").toBeTruthy();
  await expect(page.getByRole("row", { name: new RegExp(open!.number) }).locator("[data-invoice-status]")).toHaveText(
    "未払い（支払待ち）",
  );
  const paid = await fetch(`${STRIPE_FAKE_URL}/__fake/invoices/${open!.id}/pay`, { method: "POST" });
  expect(paid.status).toBe(200);

  await page.reload();
  await expect(page.locator("[data-billing-status]")).toHaveText("契約中（支払済み）");
  await expect(
    page.getByRole("row", { name: new RegExp(open!.number) }).locator("[data-invoice-status]"),
  ).toContainText("支払済み");
  await expect(page.getByText("お支払いが確認できていない請求書があります")).toHaveCount(0);
  await page.getByRole("link", { name: "請求の状況（全自治体）" }).click();
  await expect(page.getByRole("row", { name: new RegExp(minato.name) }).locator("[data-billing-status]")).toHaveText(
    "契約中（支払済み）",
  );

  const cityContext = await browser.newContext();
  const city = await cityContext.newPage();
  const admin = demoStaff(minato.slug, "admin");
  await loginAsCityStaff(city, minato.slug, admin.email, admin.password);
  await city.getByRole("navigation", { name: "管理メニュー" }).getByRole("link", { name: "ご契約と請求" }).click();
  await expect(city.getByRole("heading", { level: 1 })).toContainText("ご契約と請求");
  await expect(city.locator("[data-billing-status]")).toHaveText("契約中（支払済み）");
  await expect(
    city.getByRole("row", { name: new RegExp(open!.number) }).locator("[data-invoice-status]"),
  ).toContainText("支払済み");
  await expect(city.getByText("スモール（人口3万人未満）", { exact: false })).toBeVisible();
  await expectNoSeriousA11yViolations(city);
  await cityContext.close();
});

test("an operator has no billing page", async ({ page }) => {
  const op = demoStaff(kinokawa.slug, "operator");
  await loginAsCityStaff(page, kinokawa.slug, op.email, op.password);
  await expect(page.getByRole("link", { name: "ご契約と請求" })).toHaveCount(0);
  expect((await page.goto(`/c/${kinokawa.slug}/admin/billing`))?.status()).toBe(403);
});

test("usage per city per month downloads as an Excel-ready CSV, for the vendor and for a city admin", async ({
  page,
  browser,
}) => {
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.getByRole("navigation", { name: "ベンダーメニュー" }).getByRole("link", { name: "利用状況" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("利用状況");
  await expect(page.getByRole("row", { name: new RegExp(kinokawa.name) })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "CSVをダウンロード（Excel用 UTF-8）" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^利用状況_全自治体_\d{4}-\d{2}\.csv$/);
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").split("\r\n");
  expect(lines[0]).toBe("対象月,自治体,URL用の名前,LINE友だち数,LINE送信数（受信者数）,予約数,一斉配信数");
  expect(lines.some((l) => l.includes(`,${kinokawa.name},${kinokawa.slug},`))).toBe(true);
  expect(lines.some((l) => l.includes(`,${minato.name},${minato.slug},`))).toBe(true);

  // A month that does not exist is refused politely on the page.
  await page.goto("/vendor/usage?month=2026-13");
  await expect(page.getByText("月は YYYY-MM の形式で指定してください。")).toBeVisible();

  const cityContext = await browser.newContext();
  const city = await cityContext.newPage();
  const admin = demoStaff(kinokawa.slug, "admin");
  await loginAsCityStaff(city, kinokawa.slug, admin.email, admin.password);
  await city.goto(`/c/${kinokawa.slug}/admin/billing`);
  const [cityDownload] = await Promise.all([
    city.waitForEvent("download"),
    city.getByRole("link", { name: "利用状況をCSVでダウンロード（Excel用 UTF-8）" }).click(),
  ]);
  const cityBytes = await readFile((await cityDownload.path())!);
  expect([...cityBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const cityLines = cityBytes.subarray(3).toString("utf8").split("\r\n").filter(Boolean);
  expect(cityLines[0]).toBe("対象月,LINE友だち数,LINE送信数（受信者数）,予約数,一斉配信数");
  expect(cityLines).toHaveLength(13);
  await cityContext.close();
});
