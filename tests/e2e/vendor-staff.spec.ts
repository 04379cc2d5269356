import { expect, test } from "@playwright/test";
import { DEMO_VENDOR, expectNoSeriousA11yViolations, loginAsVendor } from "./support";

// The vendor staff page (ADR 015 addendum): reached from the menu, lists vendor staff with their
// two-factor state, and offers no reset of one's own. The reset itself is covered by
// tests/integration/vendor-two-factor-reset.test.ts (the demo has a single vendor account).

test("vendor staff are listed with their two-factor state, and one's own row cannot be reset", async ({ page }) => {
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.getByRole("navigation", { name: "ベンダーメニュー" }).getByRole("link", { name: "運営スタッフ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "運営スタッフ" })).toBeVisible();
  const me = page.getByRole("row").filter({ hasText: DEMO_VENDOR.email });
  await expect(me).toContainText("設定済み");
  await expect(me).toContainText("（ご自身）");
  await expect(me.getByRole("button", { name: "2段階認証をリセット" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});
