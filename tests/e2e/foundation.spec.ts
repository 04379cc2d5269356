import { expect, test } from "@playwright/test";
import { DEMO_CITIES, DEMO_VENDOR, demoStaff, expectNoSeriousA11yViolations, latestMailTo, loginAsCityStaff, loginAsVendor } from "./support";

// The foundation's promises, in a real browser against the production build:
// city staff see only their own city, a vendor creates a city that residents can reach, and an
// invited person joins from the link in the captured e-mail.

test("a city admin logs in and sees only their own city", async ({ page }) => {
  const { kinokawa, minato } = DEMO_CITIES;
  const admin = demoStaff(kinokawa.slug, "admin");
  await loginAsCityStaff(page, kinokawa.slug, admin.email, admin.password);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${kinokawa.name} 管理画面`);
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("navigation", { name: "管理メニュー" }).getByRole("link", { name: "職員の管理" }).click();
  await expect(page.getByRole("cell", { name: admin.email })).toBeVisible();
  await expect(page.getByText(`@${minato.slug}.example`)).toHaveCount(0);

  // The same session in another city's admin is refused, visibly.
  const other = await page.goto(`/c/${minato.slug}/admin`);
  expect(other?.status()).toBe(403);
  await expect(page.getByText("この自治体の管理画面を利用する権限がありません。")).toBeVisible();
  await expect(page.getByText(minato.name + " 管理画面")).toHaveCount(0);
});

test("a wrong password keeps the e-mail and shows one polite message", async ({ page }) => {
  const { kinokawa } = DEMO_CITIES;
  await page.goto(`/c/${kinokawa.slug}/admin/login`);
  await page.getByLabel("メールアドレス").fill("operator@kinokawa-demo.example");
  await page.getByLabel("パスワード").fill("not-the-password");
  await page.getByRole("button", { name: "ログイン", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("メールアドレスまたはパスワードが正しくありません。");
  await expect(page.getByLabel("メールアドレス")).toHaveValue("operator@kinokawa-demo.example");
});

test("an operator cannot open the staff management page", async ({ page }) => {
  const { kinokawa } = DEMO_CITIES;
  const op = demoStaff(kinokawa.slug, "operator");
  await loginAsCityStaff(page, kinokawa.slug, op.email, op.password);
  await expect(page.getByRole("link", { name: "職員の管理" })).toHaveCount(0);
  const res = await page.goto(`/c/${kinokawa.slug}/admin/staff`);
  expect(res?.status()).toBe(403);
});

test("a vendor creates a city, opens it, and invites its first admin who joins from the e-mail", async ({ page, browser }) => {
  const slug = `e2e-${Date.now().toString(36)}`;
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.getByRole("link", { name: "新しい自治体" }).first().click();

  // Bad input first: messages beside the fields, typed values kept.
  await page.getByLabel("自治体名").fill("E2Eテスト市");
  await page.getByLabel("URL用の名前").fill("Bad Slug!");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByText("都道府県を選択してください。")).toBeVisible();
  await expect(page.getByText(/URL用の名前は半角英小文字で始まり/)).toBeVisible();
  await expect(page.getByLabel("自治体名")).toHaveValue("E2Eテスト市");

  await page.getByLabel("URL用の名前").fill(slug);
  await page.getByLabel("都道府県").selectOption("和歌山県");
  await page.getByLabel("人口").fill("12,345");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByText("自治体を登録しました。")).toBeVisible();

  // Not public while onboarding; public after activation.
  const before = await page.request.get(`/c/${slug}`);
  expect(before.status()).toBe(503);
  await page.getByRole("button", { name: "利用を開始する" }).click();
  await expect(page.getByText("状態を「利用中」にしました。")).toBeVisible();
  const resident = await browser.newPage();
  const res = await resident.goto(`/c/${slug}`);
  expect(res?.status()).toBe(200);
  await expect(resident.getByRole("heading", { level: 1 })).toContainText("E2Eテスト市");
  await resident.close();

  const adminEmail = `first-admin@${slug}.example`;
  const since = new Date();
  await page.getByLabel("管理者のメールアドレス").fill(adminEmail);
  await page.getByRole("button", { name: "招待メールを送る" }).click();
  await expect(page.getByText(`${adminEmail} に管理者の招待メールを送信しました。`)).toBeVisible();

  const mail = await latestMailTo(adminEmail, { since });
  expect(mail.subject).toContain("E2Eテスト市");
  const link = mail.text.match(/https?:\/\/\S+\/admin\/invite\/[a-z2-7]{32}/)?.[0];
  expect(link).toBeTruthy();

  // The new admin opens the link in their own browser.
  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(link!);
  await expect(invitee.getByText(`${adminEmail} さんを「管理者」として招待しています。`)).toBeVisible();
  await invitee.getByLabel("氏名").fill("初代 管理者");
  await invitee.getByLabel(/^パスワード(\s*必須)?$/).fill("short");
  await invitee.getByLabel("パスワード（確認）").fill("short");
  await invitee.getByRole("button", { name: "招待を受けて利用を開始する" }).click();
  await expect(invitee.getByText("パスワードは12文字以上で入力してください。")).toBeVisible();
  await invitee.getByLabel(/^パスワード(\s*必須)?$/).fill("first-admin-password");
  await invitee.getByLabel("パスワード（確認）").fill("first-admin-password");
  await invitee.getByRole("button", { name: "招待を受けて利用を開始する" }).click();
  await expect(invitee.getByRole("heading", { level: 1 })).toContainText("E2Eテスト市 管理画面");

  // The link is single-use.
  await invitee.goto(link!);
  await expect(invitee.getByText("この招待リンクはすでに使用されています。")).toBeVisible();
  await context.close();
});

test("a city admin invites an operator from the staff page, who joins from the captured e-mail", async ({ page, browser }) => {
  const { minato } = DEMO_CITIES;
  const admin = demoStaff(minato.slug, "admin");
  await loginAsCityStaff(page, minato.slug, admin.email, admin.password);
  await page.goto(`/c/${minato.slug}/admin/staff`);
  const email = `new-operator-${Date.now().toString(36)}@minato-demo.example`;
  const since = new Date();
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("権限").selectOption("operator");
  await page.getByRole("button", { name: "招待メールを送る" }).click();
  await expect(page.getByText(`${email} に招待メールを送信しました。`)).toBeVisible();

  const context = await browser.newContext();
  const invitee = await context.newPage();
  // Through the dev mailbox page, as a person in the demo would.
  await latestMailTo(email, { since });
  await invitee.goto("/dev/mail");
  await invitee.getByRole("row").filter({ hasText: email }).first().getByRole("link").click();
  await invitee.getByRole("link", { name: /\/admin\/invite\// }).click();
  await invitee.getByLabel("氏名").fill("港 新人");
  await invitee.getByLabel(/^パスワード(\s*必須)?$/).fill("operator-password-1");
  await invitee.getByLabel("パスワード（確認）").fill("operator-password-1");
  await invitee.getByRole("button", { name: "招待を受けて利用を開始する" }).click();
  await expect(invitee.getByText("港 新人さん（オペレーター）としてログインしています。")).toBeVisible();
  await context.close();
});

test("a suspended city shows a notice to residents and comes back on resume", async ({ page, browser }) => {
  const { minato } = DEMO_CITIES;
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.getByRole("link", { name: minato.name }).click();
  await page.getByRole("button", { name: "利用を停止する" }).click();
  await expect(page.getByText("状態を「停止中」にしました。")).toBeVisible();
  const resident = await browser.newPage();
  const res = await resident.goto(`/c/${minato.slug}`);
  expect(res?.status()).toBe(503);
  await expect(resident.getByText(/オンライン窓口は現在ご利用いただけません/)).toBeVisible();
  await page.getByRole("button", { name: "利用を再開する" }).click();
  await expect(page.getByText("状態を「利用中」にしました。")).toBeVisible();
  expect((await resident.goto(`/c/${minato.slug}`))?.status()).toBe(200);
  await resident.close();
});
