import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// Issue 13.1/13.2/13.4 in a real browser: an admin sets the city's 問い合わせ窓口 and a resident finds
// it as a tel: link on the done page, with the one channel the notices will use; in /dev/line the
// rich menu's 問い合わせ and 避難所 tiles answer with the seeded numbers. Demo ticket holder
// 1000000015 of みなとデモ町 is kept for this spec.

const minato = DEMO_CITIES.minato;
const kinokawa = DEMO_CITIES.kinokawa;
const RESIDENT = { ticket: "1000000015", year: "1992", month: "6", day: "30" };

async function bookAsResident(page: Page) {
  await page.goto(`/c/${minato.slug}/reserve`);
  const service = page.getByLabel("予約する内容");
  if (await service.count()) await service.selectOption({ label: "新型コロナワクチン接種" });
  await page.getByLabel("接種券番号（10桁）").fill(RESIDENT.ticket);
  await page.getByLabel("生まれた年").fill(RESIDENT.year);
  await page.getByLabel("生まれた月").selectOption(RESIDENT.month);
  await page.getByLabel("生まれた日").selectOption(RESIDENT.day);
  await page.getByRole("button", { name: "次へ（連絡先の入力）" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "連絡先の入力" })).toBeVisible();
  await page.getByLabel("お名前").fill("港 花子");
  await page.getByLabel("メールアドレス").fill("minato-hanako@example.jp");
  await page.getByRole("button", { name: "次へ（会場を選ぶ）" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "会場を選ぶ" })).toBeVisible();
  await page
    .getByRole("link", { name: /^この会場で日時を選ぶ/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "日時を選ぶ" })).toBeVisible();
  // Day first (ADR 033), then its times; the third day is well before the change cut-off.
  await page
    .getByRole("link", { name: /残り\d+人分/ })
    .nth(2)
    .click();
  await page.locator("main button[name=slot]:not([disabled])").first().click();

  await expect(page.getByRole("heading", { level: 1, name: "予約内容の確認" })).toBeVisible();
  await page.getByRole("button", { name: "この内容で予約する" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "予約完了" })).toBeVisible();
}

test("an admin sets the 問い合わせ窓口; a resident sees it as a tel: link on the done page", async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  const admin = demoStaff(minato.slug, "admin");
  await loginAsCityStaff(page, minato.slug, admin.email, admin.password);
  await page.goto(`/c/${minato.slug}/admin/contact`);
  await expect(page.getByRole("heading", { level: 1, name: "問い合わせ窓口" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const first = page.getByRole("group", { name: "電話番号 1" });
  await first.getByLabel("名前", { exact: true }).fill("ワクチン予約ダイヤル");
  await first.getByLabel("電話番号", { exact: true }).fill("0558-00");
  await page.getByRole("button", { name: "保存する" }).click();
  await expect(first.getByText("電話番号は0から始まる10桁か11桁の番号")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await first.getByLabel("電話番号", { exact: true }).fill("０５５８－００－２４６８");
  await first.getByLabel("受付時間", { exact: true }).fill("平日 9:00〜17:00");
  await page.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByText("問い合わせ窓口を保存しました")).toBeVisible();
  await expect(page.getByRole("link", { name: /ワクチン予約ダイヤル\s*0558-00-2468/ })).toHaveAttribute(
    "href",
    "tel:0558002468",
  );

  // A resident, in a browser of their own.
  const context = await browser.newContext();
  const resident = await context.newPage();
  await bookAsResident(resident);
  const call = resident
    .getByTestId("notice-channel")
    .getByRole("link", { name: /ワクチン予約ダイヤル\s*0558-00-2468/ });
  await expect(call).toHaveAttribute("href", "tel:0558002468");
  const box = await call.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await expect(resident.getByTestId("notice-channel")).toContainText("受付時間：平日 9:00〜17:00");
  // Web booking with an e-mail address: the notices go by e-mail, and the page says so (masked).
  await expect(resident.getByTestId("notice-channel")).toContainText(
    "メール（m************@example.jp）でお送りします",
  );
  await expectNoSeriousA11yViolations(resident);
  await context.close();
});

test("/dev/line: the 問い合わせ tile answers with the city's numbers, the 避難所 tile asks for a location", async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  // The city's admin publishes the everyday rich menu (the demo leaves publishing to its user).
  const staff = await browser.newContext();
  const admin = await staff.newPage();
  const { email, password } = demoStaff(kinokawa.slug, "admin");
  await loginAsCityStaff(admin, kinokawa.slug, email, password);
  await admin.goto(`/c/${kinokawa.slug}/admin/line/richmenu`);
  await admin.getByRole("button", { name: "LINEに反映" }).click();
  await expect(admin.getByText("通常メニューをLINEに反映しました。")).toBeVisible({ timeout: 20_000 });
  await staff.close();

  await page.goto(`/dev/line?city=${kinokawa.slug}`);
  await page.getByRole("button", { name: "友だち追加", exact: true }).click();
  const log = page.getByRole("log", { name: "トーク履歴" });
  // The survey opens with the language (issue 15), then the first question.
  await expect(log).toContainText("【はじめに】メッセージを受け取る言葉を選んでください。");
  await page
    .getByRole("region", { name: "クイックリプライ" })
    .getByRole("button", { name: "日本語", exact: true })
    .click();
  await expect(log).toContainText("【質問1】性別を教えてください。");
  const richMenu = page.getByRole("form", { name: "リッチメニュー" });

  await richMenu.getByRole("button", { name: "問い合わせ", exact: true }).click();
  await expect(log).toContainText("予約専用ダイヤル 0736-00-1234（平日 8:30〜17:15）");
  await expect(log).not.toContainText("個別のご質問にお答えできません");

  // The 避難所 tile now asks for a location (issue 18); the disaster number is in the no-shelter answers.
  await richMenu.getByRole("button", { name: "避難所", exact: true }).click();
  await expect(log).toContainText("近くの開いている避難所をお知らせします。");
  await expectNoSeriousA11yViolations(page);
});
