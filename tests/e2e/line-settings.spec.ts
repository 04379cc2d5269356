import { expect, test } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// The city admin sets the LINE Login channel (LIFF) on the LINE settings page: checked live at the
// demo's LINE emulator (which knows each demo city's login secret), refused in Japanese when wrong,
// and afterwards shown as 設定済み with its date, never the secret.

test("a city admin sets the LINE Login channel secret, checked at LINE, never shown back", async ({ page }) => {
  const { kinokawa } = DEMO_CITIES;
  const admin = demoStaff(kinokawa.slug, "admin");
  await loginAsCityStaff(page, kinokawa.slug, admin.email, admin.password);
  await page.goto(`/c/${kinokawa.slug}/admin/line`);
  const section = page.getByRole("region", { name: "LINEログインチャネル（LIFF）" });
  await expect(section.getByTestId("login-secret-state")).toHaveText("未設定");
  await expectNoSeriousA11yViolations(page);

  await section.getByLabel("LINEログインのチャネルシークレット").fill("not-the-login-secret");
  await section.getByRole("button", { name: "LINEで確認して保存する" }).click();
  await expect(section.getByText(/チャネルIDかチャネルシークレットが正しくないため/)).toBeVisible();
  await expect(section.getByTestId("login-secret-state")).toHaveText("未設定");

  const secret = `demo-${kinokawa.slug}-login-secret-not-real`;
  await section.getByLabel("LINEログインのチャネルシークレット").fill(secret);
  await section.getByRole("button", { name: "LINEで確認して保存する" }).click();
  await expect(page.getByText("LINEログインチャネルをLINEで確認し、保存しました。")).toBeVisible();
  await expect(section.getByTestId("login-secret-state")).toHaveText(/^設定済み（最終変更 .+）$/);
  expect(await page.content()).not.toContain(secret);
  await expect(section.getByLabel("LINEログインのチャネルシークレット")).toHaveValue("");
});
