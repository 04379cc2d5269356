import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// Issue 16 through the real pages: a resident asks in /dev/line (signed webhook → worker → the
// conversation engine → reply in the simulated phone), staff promote an unanswered question in the
// admin, and the public FAQ page works without JavaScript and is axe-clean.

const city = DEMO_CITIES.kinokawa;

function phone(page: Page) {
  return {
    log: page.getByRole("log", { name: "トーク履歴" }),
    quick: page.getByRole("region", { name: "クイックリプライ" }),
  };
}

async function follow(page: Page) {
  await page.goto(`/dev/line?city=${city.slug}`);
  await page.getByRole("button", { name: "友だち追加", exact: true }).click();
  await phone(page).quick.getByRole("button", { name: "日本語", exact: true }).click();
  await expect(phone(page).log).toContainText("【質問1】性別を教えてください。");
}

async function say(page: Page, text: string) {
  await page.getByLabel("メッセージ", { exact: true }).fill(text);
  await page.getByRole("button", { name: "送信", exact: true }).click();
}

test("a resident's question gets the FAQ's answer, and an ambiguous one three choices", async ({ page }) => {
  await follow(page);
  const { log, quick } = phone(page);
  await say(page, "マイナカード 受取");
  await expect(log).toContainText("交付通知書（はがき）、本人確認書類");

  await say(page, "マイナンバーカード");
  await expect(log).toContainText("どのご質問についてお知りになりたいですか。");
  await expect(quick.getByRole("button")).toHaveCount(3);
  await quick.getByRole("button", { name: "マイナンバーカードをなくしました", exact: true }).click();
  await expect(log).toContainText("一時利用停止をしてください。");
  await expectNoSeriousA11yViolations(page);
});

test("an unknown question gets the fallback, lands in 未回答, and is answered once staff promote it", async ({
  page,
  browser,
}) => {
  const question = `ハチの巣の駆除 ${Date.now().toString(36)}`;
  await follow(page);
  const { log, quick } = phone(page);
  await say(page, question);
  await expect(log).toContainText("このアカウントからは、そのご質問にお答えできませんでした。");
  await expect(log).toContainText("0736-00-1234");
  await expect(quick.getByRole("button", { name: "マイナンバーカード", exact: true })).toBeVisible();

  const staff = await browser.newContext();
  const admin = await staff.newPage();
  const { email, password } = demoStaff(city.slug, "admin");
  await loginAsCityStaff(admin, city.slug, email, password);
  await admin.goto(`/c/${city.slug}/admin/faq/unanswered`);
  const row = admin.getByRole("row", { name: new RegExp(question) });
  await expect(row).toContainText("1回");
  await expectNoSeriousA11yViolations(admin);
  await row.getByRole("link", { name: "FAQに登録" }).click();
  await expect(admin.getByRole("textbox", { name: /^質問/ })).toHaveValue(question);
  await admin.getByRole("textbox", { name: /^分野/ }).fill("生活環境");
  await admin
    .getByRole("textbox", { name: /^回答/ })
    .fill("ハチの巣は、環境衛生課（0736-00-1234）へご相談ください。専門業者をご紹介します。");
  await admin.getByRole("button", { name: "登録する" }).click();
  await expect(admin.getByText(`「${question}」を保存しました。`)).toBeVisible();
  await admin.goto(`/c/${city.slug}/admin/faq/unanswered`);
  await expect(admin.getByRole("row", { name: new RegExp(question) })).toHaveCount(0);
  await staff.close();

  await say(page, question);
  await expect(log).toContainText("ハチの巣は、環境衛生課");
});

test("the public FAQ page searches and lists categories without JavaScript, axe-clean, in the chosen language", async ({
  browser,
}) => {
  const jsContext = await browser.newContext();
  const withJs = await jsContext.newPage();
  await withJs.goto(`/c/${city.slug}/faq`);
  await expect(withJs.getByRole("heading", { level: 1, name: "よくある質問" })).toBeVisible();
  await expectNoSeriousA11yViolations(withJs);
  await withJs.goto(`/c/${city.slug}/faq?lang=en`);
  await expect(withJs.getByRole("heading", { level: 1, name: "Frequently asked questions" })).toBeVisible();
  await expect(withJs.getByText("written by the city in Japanese")).toBeVisible();
  await expectNoSeriousA11yViolations(withJs);
  await jsContext.close();

  // The search and the category links are plain GET forms and links.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/c/${city.slug}/faq?lang=ja`);
  await page.getByLabel("質問を探す").fill("ﾍﾟｯﾄﾎﾞﾄﾙ");
  await page.getByRole("button", { name: "探す" }).click();
  await expect(page.getByRole("heading", { name: "「ﾍﾟｯﾄﾎﾞﾄﾙ」の検索結果" })).toBeVisible();
  await page.getByText("ペットボトルの出し方は？").first().click();
  await expect(page.getByText("キャップとラベルを外し").first()).toBeVisible();
  await page.getByRole("link", { name: "ごみ", exact: true }).click();
  await expect(page.getByRole("heading", { level: 2, name: "ごみ" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "マイナンバーカード" })).toHaveCount(0);
  await context.close();
});

test("a resident sends a photo from /dev/line and gets the image answer, never a dead end", async ({ page }) => {
  await follow(page);
  // A 1×1 PNG, as a photo from the camera roll.
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  );
  await page.getByLabel("送る画像（JPEG・PNG・GIF・WebP、1MBまで）").setInputFiles({
    name: "pothole.png",
    mimeType: "image/png",
    buffer: png,
  });
  await page.getByRole("button", { name: "画像を送る" }).click();
  const { log } = phone(page);
  await expect(log).toContainText("（画像を送信：pothole.png）");
  await expect(log).toContainText("画像を送っていただきありがとうございます。");
  await expect(log).toContainText("0736-00-1234");
});
