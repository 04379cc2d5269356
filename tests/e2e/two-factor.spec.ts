import { expect, test } from "@playwright/test";
import {
  DEMO_CITIES,
  demoStaff,
  expectNoSeriousA11yViolations,
  latestMailTo,
  loginAsCityStaff,
  submitLoginForm,
  submitTotp,
  totpCode,
} from "./support";

// Two-factor for a city staff member, end to end: enrol from the account page by reading the manual
// key (what scanning the QR code does), then log in with a code, and with a recovery code once.

test("a city staff member enrols in two-factor, then logs in with a code and with a recovery code", async ({
  page,
  browser,
}) => {
  // Invitation mail, enrolment and three logins: longer than one page's budget.
  test.setTimeout(90_000);
  const { kinokawa } = DEMO_CITIES;
  const admin = demoStaff(kinokawa.slug, "admin");
  await loginAsCityStaff(page, kinokawa.slug, admin.email, admin.password);
  await page.goto(`/c/${kinokawa.slug}/admin/staff`);
  const email = `totp-${Date.now().toString(36)}@kinokawa-demo.example`;
  const password = "two-factor-password-1";
  const since = new Date();
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel(/^権限(\s*必須)?$/).selectOption("analyst");
  await page.getByRole("button", { name: "招待メールを送る" }).click();
  const mail = await latestMailTo(email, { since });
  const link = mail.text.match(/https?:\/\/\S+\/admin\/invite\/[a-z2-7]{32}/)![0];

  const context = await browser.newContext();
  const staff = await context.newPage();
  await staff.goto(new URL(link).pathname);
  await staff.getByLabel("氏名").fill("二段 認証");
  await staff.getByLabel(/^パスワード(\s*必須)?$/).fill(password);
  await staff.getByLabel("パスワード（確認）").fill(password);
  await staff.getByRole("button", { name: "招待を受けて利用を開始する" }).click();
  await expect(staff.getByRole("heading", { level: 1 })).toContainText(`${kinokawa.name} 管理画面`);

  // Enrol: the account page links to the setup page with a QR code and the key to type by hand.
  await staff.getByRole("navigation", { name: "管理メニュー" }).getByRole("link", { name: "アカウント" }).click();
  await staff.getByRole("link", { name: "2段階認証を設定する" }).click();
  await expect(staff.getByRole("img", { name: "認証アプリに登録するための QR コード" })).toBeVisible();
  await expectNoSeriousA11yViolations(staff);
  const manualKey = (await staff.getByTestId("totp-manual-key").textContent())!.replace(/\s/g, "");
  expect(manualKey).toMatch(/^[A-Z2-7]{32}$/);
  await staff.getByLabel("確認コード").fill("000000");
  await staff.getByRole("button", { name: "登録する" }).click();
  await expect(staff.getByRole("alert")).toContainText("確認コードが正しくないか");
  await staff.getByLabel("確認コード").fill(totpCode(manualKey));
  await staff.getByRole("button", { name: "登録する" }).click();
  await expect(staff.getByRole("heading", { name: "2段階認証を設定しました" })).toBeVisible();
  const codes = await staff.getByRole("list", { name: "リカバリーコード" }).getByRole("listitem").allTextContents();
  expect(codes).toHaveLength(10);
  // The codes stay on screen (shown once) until the person moves on.
  await staff.waitForTimeout(500);
  await expect(staff).toHaveURL((u) => u.pathname.endsWith("/admin/account/two-factor"));
  await expect(staff.getByRole("list", { name: "リカバリーコード" })).toBeVisible();
  await staff.getByRole("link", { name: "控えました。続ける" }).click();
  await expect(staff.getByText("未使用のリカバリーコード：10個")).toBeVisible();
  await context.close();

  // Next login: the password is not enough; the code prompt follows (the enrolment's code is spent).
  const second = await browser.newContext();
  const p2 = await second.newPage();
  await p2.goto(`/c/${kinokawa.slug}/admin/account`);
  await submitLoginForm(p2, email, password);
  await expect(p2).toHaveURL((u) => u.pathname === `/c/${kinokawa.slug}/admin/login/verify`);
  expect((await p2.request.get(`/c/${kinokawa.slug}/admin`, { maxRedirects: 0 })).status()).toBe(302);
  await submitTotp(p2, manualKey);
  await expect(p2).toHaveURL((u) => u.pathname === `/c/${kinokawa.slug}/admin/account`);
  await second.close();

  // Lost phone: a recovery code works once.
  for (const expectOk of [true, false]) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(`/c/${kinokawa.slug}/admin/login`);
    await submitLoginForm(p, email, password);
    await p.getByText("認証アプリを使えない場合（リカバリーコード）").click();
    await p.getByLabel("リカバリーコード").fill(codes[0]!);
    await p.getByRole("button", { name: "リカバリーコードでログイン" }).click();
    if (expectOk) {
      await expect(p.getByRole("heading", { level: 1 })).toContainText(`${kinokawa.name} 管理画面`);
      await p.goto(`/c/${kinokawa.slug}/admin/account`);
      await expect(p.getByText("未使用のリカバリーコード：9個")).toBeVisible();
    } else {
      await expect(p.getByRole("alert")).toContainText("すでに使用されています");
    }
    await ctx.close();
  }
});
