import { expect, test } from "@playwright/test";
import { DEMO_VENDOR, expectNoSeriousA11yViolations, latestMailTo, loginAsVendor } from "./support";

// The vendor staff page (ADR 015 addendum): reached from the menu, lists vendor staff with their
// two-factor state, and offers no reset of one's own. The reset itself is covered by
// tests/integration/vendor-two-factor-reset.test.ts (the demo has a single vendor account).
// Inviting a colleague (ADR 023): the form, the e-mail's link, joining, and the enrolment that follows.

test("vendor staff are listed with their two-factor state, one's own row cannot be reset, and a colleague is invited, joins and must enrol, then is stopped (利用停止) and restored", async ({
  page,
  browser,
}) => {
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.getByRole("navigation", { name: "ベンダーメニュー" }).getByRole("link", { name: "運営スタッフ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "運営スタッフ" })).toBeVisible();
  const me = page.getByRole("row").filter({ hasText: DEMO_VENDOR.email });
  await expect(me).toContainText("設定済み");
  await expect(me).toContainText("（ご自身）");
  await expect(me.getByRole("button", { name: "2段階認証をリセット" })).toHaveCount(0);

  const email = `e2e-vendor-${Date.now().toString(36)}@madoguchi.example`;
  const since = new Date();
  const invite = page.getByRole("region", { name: "運営スタッフを招待" });
  await invite.getByLabel("メールアドレス").fill(email);
  await invite.getByLabel("表示名").fill("招待 二郎");
  await invite.getByRole("button", { name: "招待メールを送る" }).click();
  await expect(page.getByText(`${email} に招待メールを送信しました。`)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText("招待 二郎");
  await expectNoSeriousA11yViolations(page);

  const mail = await latestMailTo(email, { since });
  const link = mail.text.match(/https?:\/\/\S+\/vendor\/invite\/[a-z2-7]{32}/)?.[0];
  expect(link).toBeTruthy();
  const invitee = await (await browser.newContext()).newPage();
  await invitee.goto(link!);
  await expect(invitee.getByLabel("氏名")).toHaveValue("招待 二郎");
  await invitee.getByLabel(/^パスワード(\s*必須)?$/).fill("e2e-vendor-password");
  await invitee.getByLabel("パスワード（確認）").fill("e2e-vendor-password");
  await invitee.getByRole("button", { name: "招待を受けて利用を開始する" }).click();
  await expect(invitee.getByRole("heading", { level: 1, name: "2段階認証の設定" })).toBeVisible();
  // The link works once.
  await invitee.goto(link!);
  await expect(invitee.getByText("この招待リンクはすでに使用されています。")).toBeVisible();

  // Offboarding: the colleague is stopped (asked once more) and their console session ends at once.
  await page.reload();
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("利用中");
  await row.getByRole("button", { name: "招待 二郎さんの利用を停止する" }).click();
  await expect(page.getByText("招待 二郎さんを利用停止にしますか")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "利用停止にする", exact: true }).click();
  await expect(page.getByText("招待 二郎さんを利用停止にし、ログイン中の端末")).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText("利用停止中");
  await invitee.goto("/vendor/two-factor");
  await expect(invitee).toHaveURL(/\/vendor\/login/);
  await page
    .getByRole("row")
    .filter({ hasText: email })
    .getByRole("button", { name: "招待 二郎さんの利用を再開する" })
    .click();
  await expect(page.getByText("招待 二郎さんの利用を再開しました。")).toBeVisible();
});
