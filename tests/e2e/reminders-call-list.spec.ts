import { expect, test } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// The reminder call list in the browser: the demo seeds phone bookings without e-mail or LINE for
// tomorrow, so today's list has people to phone. An operator marks one 電話済み; on paper only the
// list remains. Analysts never see it.

const { kinokawa } = DEMO_CITIES;

test("an operator opens today's call list, marks 電話済み, and prints only the list", async ({ page }) => {
  const op = demoStaff(kinokawa.slug, "operator");
  await loginAsCityStaff(page, kinokawa.slug, op.email, op.password);
  const nav = page.getByRole("navigation", { name: "管理メニュー" });
  await nav.getByRole("link", { name: "リマインダー電話" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "リマインダー電話リスト" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2 })).toContainText("（今日）");

  const row = page.getByRole("row", { name: /山本 ハナ/ });
  await expect(row).toContainText("0736-11-2233");
  await expect(row).toContainText("長男が代理で電話");
  await expect(row).toContainText("前日 10:00");
  await expect(page.getByRole("row", { name: /中西 シゲル/ })).toBeVisible();
  // Reached by e-mail: not on the list.
  await expect(page.getByRole("row", { name: /森 陽子/ })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  await row.getByRole("button", { name: /^電話済み\s*（山本 ハナさん）$/ }).click();
  await expect(row.getByRole("button", { name: /^取り消す\s*（山本 ハナさん）$/ })).toBeVisible();
  await expect(row).toContainText("窓口 次郎");
  await page.reload();
  await expect(page.getByRole("row", { name: /山本 ハナ/ }).getByRole("button", { name: /取り消す/ })).toBeVisible();
  await expect(page.getByText(/未連絡 1件、電話済み 1件/)).toBeVisible();

  await page.emulateMedia({ media: "print" });
  await expect(nav).toBeHidden();
  await expect(page.getByRole("button", { name: "印刷する" })).toBeHidden();
  await expect(page.getByRole("row", { name: /中西 シゲル/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /中西 シゲル/ }).getByRole("button")).toBeHidden();
});

test("analysts have no call list: no menu entry, and the page refuses them", async ({ page }) => {
  const analyst = demoStaff(kinokawa.slug, "analyst");
  await loginAsCityStaff(page, kinokawa.slug, analyst.email, analyst.password);
  await expect(
    page.getByRole("navigation", { name: "管理メニュー" }).getByRole("link", { name: "リマインダー電話" }),
  ).toHaveCount(0);
  const res = await page.goto(`/c/${kinokawa.slug}/admin/reminders`);
  expect(res?.status()).toBe(403);
  await expect(page.getByText("この操作を行う権限がありません。")).toBeVisible();
});
