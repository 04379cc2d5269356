import { expect, test, type Page } from "@playwright/test";
import { phoneJpeg } from "../factories/report-photos";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// Issue 17 through the real pages: a resident reports a pothole in /dev/line with a photo and a
// location (signed webhook → worker → the report dialog, the photo fetched from the emulator's
// content API), staff move it to 対応中 and then 完了 with an after-photo in the admin, and the
// resident's phone shows both pushes.

const city = DEMO_CITIES.kinokawa;
// A whole report's life (two browsers, two pushes through the worker) takes longer than one page's test.
test.setTimeout(120_000);

function phone(page: Page) {
  return {
    log: page.getByRole("log", { name: "トーク履歴" }),
    quick: page.getByRole("region", { name: "クイックリプライ" }),
  };
}

async function say(page: Page, text: string) {
  await page.getByLabel("メッセージ", { exact: true }).fill(text);
  await page.getByRole("button", { name: "送信", exact: true }).click();
}

/** A push arrives through the worker: reload the simulated phone until it shows. */
async function expectPush(page: Page, text: string | RegExp) {
  await expect(async () => {
    await page.reload();
    await expect(phone(page).log).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

test("a resident reports with a photo and a location; staff's 対応中 and 完了 (with a photo) reach the phone", async ({
  page,
  browser,
}) => {
  const { log, quick } = phone(page);
  await page.goto(`/dev/line?city=${city.slug}`);
  await page.getByRole("button", { name: "友だち追加", exact: true }).click();
  await quick.getByRole("button", { name: "日本語", exact: true }).click();
  await expect(log).toContainText("【質問1】");

  await say(page, "通報");
  await quick.getByRole("button", { name: "道路の穴・段差", exact: true }).click();
  await expect(log).toContainText("写真があれば送ってください");
  await page
    .getByLabel(/^送る画像/)
    .setInputFiles({ name: "pothole.jpg", mimeType: "image/jpeg", buffer: await phoneJpeg({ width: 1200 }) });
  await page.getByRole("button", { name: "画像を送る", exact: true }).click();
  await expect(log).toContainText("写真を受け取りました（1/3枚）");
  await quick.getByRole("button", { name: "次へ", exact: true }).click();
  await expect(log).toContainText("場所を教えてください");
  await page.getByLabel("送る場所").selectOption({ label: "粉河駅前" });
  await page.getByRole("button", { name: "位置情報を送る", exact: true }).click();
  await expect(log).toContainText("どのような状態か");
  const description = `駅前の歩道に穴 ${Date.now().toString(36)}`;
  await say(page, description);
  await expect(log).toContainText("この内容で通報しますか。");
  await quick.getByRole("button", { name: "送信する", exact: true }).click();
  await expect(log).toContainText("通報を受け付けました。");
  const number = /受付番号：(R-[0-9A-Z]{7})/.exec((await log.textContent()) ?? "")![1]!;
  await expectNoSeriousA11yViolations(page);

  const staff = await browser.newContext();
  const admin = await staff.newPage();
  const { email, password } = demoStaff(city.slug, "operator");
  await loginAsCityStaff(admin, city.slug, email, password);
  await admin.goto(`/c/${city.slug}/admin/reports`);
  await admin.getByRole("link", { name: number, exact: true }).click();
  await expect(admin.getByText(description)).toBeVisible();
  await expect(admin.getByRole("img", { name: "通報の写真" })).toBeVisible();
  await expect(admin.getByRole("link", { name: /地図で見る/ })).toBeVisible();
  await expectNoSeriousA11yViolations(admin);

  await admin.getByLabel("新しい状態").selectOption({ label: "対応中" });
  await admin.getByLabel("住民へのメモ").fill("本日補修の作業をしています。");
  await admin.getByRole("button", { name: "更新してお知らせする" }).click();
  await expect(admin.getByText("状態を更新しました。")).toBeVisible();
  await expectPush(page, `通報 ${number}（道路の穴・段差）の状況が「対応中」になりました。`);
  await expect(log).toContainText("本日補修の作業をしています。");

  await admin.getByLabel("新しい状態").selectOption({ label: "完了" });
  await admin.getByLabel("住民へのメモ").fill("補修が終わりました。");
  await admin
    .getByLabel("対応後の写真（任意）")
    .setInputFiles({ name: "after.jpg", mimeType: "image/jpeg", buffer: await phoneJpeg({ width: 1000 }) });
  await admin.getByRole("button", { name: "更新してお知らせする" }).click();
  await expect(admin.getByText("状態を更新しました。")).toBeVisible();
  await expect(admin.getByRole("img", { name: "対応後の写真" })).toBeVisible();
  await staff.close();

  await expectPush(page, "「完了」になりました。");
  // The demo runs on plain http, so the after-photo comes as its address (LINE takes https images only).
  const url = /(https?:\/\/\S+\/report-photos\/[A-Za-z0-9_-]{32})/.exec((await log.textContent()) ?? "")![1]!;
  const photo = await page.request.get(url);
  expect(photo.status()).toBe(200);
  expect(photo.headers()["content-type"]).toBe("image/jpeg");

  await say(page, "通報の状況");
  await expect(log).toContainText(`${number} 道路の穴・段差：完了`);
});

test("the web form works without JavaScript: a bad entry is explained, a good one with a photo gets a 受付番号 staff can find", async ({
  browser,
}) => {
  // axe runs in the page, so the accessibility check uses a context with JavaScript.
  const jsContext = await browser.newContext();
  const withJs = await jsContext.newPage();
  await withJs.goto(`/c/${city.slug}/report?lang=ja`);
  await expect(withJs.getByRole("heading", { level: 1, name: "道路・公園などの通報" })).toBeVisible();
  await expectNoSeriousA11yViolations(withJs);
  await jsContext.close();

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/c/${city.slug}/report?lang=ja`);
  await page.getByLabel("種類").selectOption("街灯の故障");
  await page.getByLabel("場所の目印").fill("粉河駅の北口");
  await page.getByLabel("メールアドレス（任意）").fill("taro@example");
  await page.getByRole("button", { name: "通報する" }).click();
  await expect(page.getByRole("alert")).toContainText("入力内容を確認してください。");
  await expect(page.getByText("メールアドレスの形式が正しくありません。")).toBeVisible();
  await expect(page.getByLabel("場所の目印")).toHaveValue("粉河駅の北口");

  const landmark = `粉河駅の北口 ${Date.now().toString(36)}`;
  await page.getByLabel("場所の目印").fill(landmark);
  await page.getByLabel("地区").selectOption("粉河");
  await page.getByLabel("メールアドレス（任意）").fill("resident@example.jp");
  await page
    .getByLabel("写真（1枚、10MBまで）")
    .setInputFiles({ name: "light.jpg", mimeType: "image/jpeg", buffer: await phoneJpeg({ width: 800 }) });
  await page.getByRole("button", { name: "通報する" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "通報を受け付けました" })).toBeVisible();
  const number = /受付番号は (R-[0-9A-Z]{7})/.exec((await page.getByRole("status").textContent()) ?? "")![1]!;
  await context.close();

  const staff = await browser.newContext();
  const admin = await staff.newPage();
  const { email, password } = demoStaff(city.slug, "analyst");
  await loginAsCityStaff(admin, city.slug, email, password);
  await admin.goto(`/c/${city.slug}/admin/reports?category=${encodeURIComponent("街灯の故障")}`);
  await expectNoSeriousA11yViolations(admin);
  await admin.getByRole("link", { name: number, exact: true }).click();
  await expect(admin.getByText(landmark)).toBeVisible();
  await expect(admin.getByRole("img", { name: "通報の写真" })).toBeVisible();
  // An analyst reads; only admins and operators change states.
  await expect(admin.getByRole("button", { name: "更新してお知らせする" })).toHaveCount(0);
  await staff.close();
});
