import { expect, test } from "@playwright/test";
import {
  DEMO_CITIES,
  DEMO_VENDOR,
  demoStaff,
  expectNoSeriousA11yViolations,
  latestMailTo,
  loginAsCityStaff,
  loginAsVendor,
  submitLoginForm,
} from "./support";

// The foundation's promises, in a real browser against the production build:
// city staff see only their own city, a vendor's new city stays a draft until it goes live, and an
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

test("a vendor starts a city as a draft (bad input kept and explained), residents see it is being prepared, and the draft can be discarded", async ({
  page,
}) => {
  // The rest of the wizard (LINE, webhook, LIFF, rich menu, billing, first admin, going live) is in onboarding.spec.ts.
  const slug = `e2e-${Date.now().toString(36)}`;
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.getByRole("link", { name: "新しい自治体" }).first().click();

  // Bad input first: messages beside the fields, typed values kept.
  await page.getByLabel("自治体名").fill("E2Eテスト市");
  await page.getByLabel("URL用の名前").fill("Bad Slug!");
  await page.getByRole("button", { name: "登録して次へ" }).click();
  await expect(page.getByText("都道府県を選択してください。")).toBeVisible();
  await expect(page.getByText(/URL用の名前は半角英小文字で始まり/)).toBeVisible();
  await expect(page.getByLabel("自治体名")).toHaveValue("E2Eテスト市");

  await page.getByLabel("URL用の名前").fill(slug);
  await page.getByLabel("都道府県").selectOption("和歌山県");
  await page.getByLabel("人口").fill("12,345");
  await page.getByRole("button", { name: "登録して次へ" }).click();
  await expect(page.getByText("「自治体の情報」が完了しました")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Not public while onboarding: a polite notice.
  const before = await page.request.get(`/c/${slug}`);
  expect(before.status()).toBe(503);
  expect(await before.text()).toContain("準備中です");

  // Discarding needs the confirmation, then removes the draft.
  await page
    .getByRole("navigation", { name: "オンボーディングの手順" })
    .getByRole("link", { name: /自治体の情報/ })
    .click();
  await page.getByRole("button", { name: "下書きを破棄する" }).click();
  await expect(
    page.getByText("破棄する場合は「削除してよいことを確認しました」にチェックを入れてください。"),
  ).toBeVisible();
  await page.getByLabel("削除してよいことを確認しました").check();
  await page.getByRole("button", { name: "下書きを破棄する" }).click();
  await expect(page.getByText("「E2Eテスト市」の下書きを破棄しました。")).toBeVisible();
  expect((await page.request.get(`/c/${slug}`)).status()).toBe(404);
});

test("a city admin invites an operator from the staff page, who joins from the captured e-mail; the admin changes their role, then takes them off the city", async ({
  page,
  browser,
}) => {
  const { minato } = DEMO_CITIES;
  const admin = demoStaff(minato.slug, "admin");
  await loginAsCityStaff(page, minato.slug, admin.email, admin.password);
  await page.goto(`/c/${minato.slug}/admin/staff`);
  const run = Date.now().toString(36);
  const email = `new-operator-${run}@minato-demo.example`;
  const name = `港 新人${run.slice(-4)}`; // unique: an earlier run's member may still be listed
  const since = new Date();
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel(/^権限(\s*必須)?$/).selectOption("operator");
  await page.getByRole("button", { name: "招待メールを送る" }).click();
  await expect(page.getByText(`${email} に招待メールを送信しました。`)).toBeVisible();

  const context = await browser.newContext();
  const invitee = await context.newPage();
  // Through the dev mailbox page, as a person in the demo would.
  await latestMailTo(email, { since });
  await invitee.goto("/dev/mail");
  await invitee.getByRole("row").filter({ hasText: email }).first().getByRole("link").click();
  await invitee.getByRole("link", { name: /\/admin\/invite\// }).click();
  await invitee.getByLabel("氏名").fill(name);
  await invitee.getByLabel(/^パスワード(\s*必須)?$/).fill("operator-password-1");
  await invitee.getByLabel("パスワード（確認）").fill("operator-password-1");
  await invitee.getByRole("button", { name: "招待を受けて利用を開始する" }).click();
  await expect(invitee.getByText(`${name}さん（オペレーター）としてログインしています。`)).toBeVisible();

  // The new operator forgets the password: パスワードをお忘れの方, the captured mail's link, a new password.
  const again = await browser.newContext();
  const p = await again.newPage();
  await p.goto(`/c/${minato.slug}/admin/login`);
  await p.getByRole("link", { name: "パスワードをお忘れの方" }).click();
  // The page must have arrived (and hydrated) before typing, or the typed address can be lost.
  await expect(p).toHaveURL(/\/admin\/password\/forgot/);
  await expect(p.getByRole("heading", { level: 1, name: "パスワードの再設定" })).toBeVisible();
  const resetSince = new Date();
  await p.getByLabel("メールアドレス").fill(email);
  await expect(p.getByLabel("メールアドレス")).toHaveValue(email);
  await p.getByRole("button", { name: "再設定用のメールを送る" }).click();
  await expect(p.getByText("ご入力のアドレスが登録されていれば、再設定用のメールを送りました")).toBeVisible();
  const mail = await latestMailTo(email, { since: resetSince, subject: "パスワードの再設定" });
  await p.goto(new URL(/http\S+\/admin\/password\/reset\/[a-z2-7]{32}/.exec(mail.text)![0]).pathname);
  await p.getByLabel(/^新しいパスワード(\s*必須)?$/).fill("operator-password-2");
  await p.getByLabel(/^新しいパスワード（確認）(\s*必須)?$/).fill("operator-password-2");
  await p.getByRole("button", { name: "パスワードを設定する" }).click();
  await expect(p.getByText("パスワードを再設定しました。新しいパスワードでログインしてください。")).toBeVisible();
  await submitLoginForm(p, email, "operator-password-2");
  await expect(p.getByText(`${name}さん（オペレーター）としてログインしています。`)).toBeVisible();

  // 人事異動: the admin first makes them an analyst, then takes them off the city (asked once more).
  await page.goto(`/c/${minato.slug}/admin/staff`);
  await page.getByLabel(`${name}さんの権限`, { exact: true }).selectOption("analyst");
  await page.getByRole("button", { name: `${name}さんの権限を変更` }).click();
  await expect(page.getByRole("status")).toContainText(`${name}さんの権限を「分析担当」に変更しました。`);
  await page.getByRole("button", { name: `${name}さんをこの自治体から外す` }).click();
  await expect(page.getByText(`${name}さんをこの自治体の職員から外しますか`)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "外す", exact: true }).click();
  await expect(page.getByRole("status")).toContainText(`${name}さんをこの自治体の職員から外し`);
  await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(0);
  // Their open sessions are over: the next page asks them to log in again.
  for (const open of [invitee, p]) {
    await open.reload();
    await expect(open).toHaveURL(/\/admin\/login/);
  }
  await context.close();

  await again.close();
});

test("the vendor's city page suspends only through the billing rules, and says why not", async ({ page, browser }) => {
  const { minato } = DEMO_CITIES;
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.getByRole("link", { name: minato.name }).click();
  // みなとデモ町's invoice is past due but within its grace period (or paid, after billing.spec): no bare suspend button.
  await expect(page.getByRole("button", { name: "利用を停止する" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "停止できない理由" })).toContainText(/猶予期間中|支払いが滞っていない/);
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("link", { name: "請求と利用状況" }).last().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${minato.name} の請求`);
  const resident = await browser.newPage();
  expect((await resident.goto(`/c/${minato.slug}`))?.status()).toBe(200);
  await resident.close();
});
