import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// The LINE simulator (/dev/line) against the demo stack's in-process LINE emulator: every tap below
// goes out as a signed webhook, through the outbox and the worker's "line" queue, and the app's
// replies and pushes come back into the simulated phone. Each test has its own browser context, so
// its own simulated residents (a cookie). Demo ticket holder 1000000016 is used here.

const city = DEMO_CITIES.kinokawa;
const RESIDENT = { ticket: "1000000016", year: "1995", month: "3", day: "3" };
const CODE = /^[2-9A-HJKMNP-Z]{8}$/;

function phone(page: Page) {
  return {
    log: page.getByRole("log", { name: "トーク履歴" }),
    quick: page.getByRole("region", { name: "クイックリプライ" }),
    richMenu: page.getByRole("form", { name: "リッチメニュー" }),
  };
}

async function openSimulatorAndFollow(page: Page) {
  const response = await page.goto(`/dev/line?city=${city.slug}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "LINEシミュレーター" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: city.name })).toBeVisible();
  await page.getByRole("button", { name: "友だち追加", exact: true }).click();
  const { log } = phone(page);
  await expect(log).toContainText("友だち追加しました");
  await expect(log).toContainText(`${city.name}の公式アカウントを友だち追加していただき、ありがとうございます。`);
  // The survey's first question is the language (issue 15), each button in its own language.
  await expect(log).toContainText("【はじめに】メッセージを受け取る言葉を選んでください。");
  await phone(page).quick.getByRole("button", { name: "日本語", exact: true }).click();
  await expect(log).toContainText("【質問1】性別を教えてください。");
}

test("a resident adds the city as a friend, answers the survey by quick replies and asks for the booking link", async ({
  page,
}) => {
  await openSimulatorAndFollow(page);
  const { log, quick } = phone(page);
  await expectNoSeriousA11yViolations(page);

  await quick.getByRole("button", { name: "女性", exact: true }).click();
  await expect(log).toContainText("【質問2】年代を教えてください。");
  await quick.getByRole("button", { name: "30代", exact: true }).click();
  await expect(log).toContainText("【質問3】お住まいの地区を教えてください。");
  await quick.getByRole("button", { name: "粉河", exact: true }).click();
  await expect(log).toContainText("受け取りたいお知らせを選んでください");
  await quick.getByRole("button", { name: "ごみ", exact: true }).click();
  await expect(quick.getByRole("button", { name: "✓ごみ", exact: true })).toBeVisible();
  await quick.getByRole("button", { name: "完了", exact: true }).click();
  await expect(log).toContainText("ご回答ありがとうございました。「ごみ」のお知らせをお届けします。");
  await expect(quick).toHaveCount(0);

  // The resident's own answers are in the chat too (the quick replies' display texts).
  for (const answer of ["女性", "30代", "粉河"]) await expect(log.getByText(answer, { exact: true })).toBeVisible();

  await page.getByLabel("メッセージ", { exact: true }).fill("予約");
  await page.getByRole("button", { name: "送信", exact: true }).click();
  await expect(log).toContainText(`${city.name}の予約はこちらからお手続きください。`);
  // The LIFF URL (issue 13.3): the booking it opens is recorded as LINE and can be linked.
  await expect(
    log.getByRole("link", { name: /^https:\/\/liff\.line\.me\/[^/]+\/reserve\?channel=line$/ }),
  ).toBeVisible();
  await expect(page.getByLabel("メッセージ", { exact: true })).toHaveValue("");
});

test("from the rich menu a resident books on the LIFF page and sees the LINE confirmation arrive", async ({
  page,
  browser,
}) => {
  // The city's admin publishes the everyday rich menu (予約する → the LIFF booking page).
  const staff = await browser.newContext();
  const admin = await staff.newPage();
  const { email, password } = demoStaff(city.slug, "admin");
  await loginAsCityStaff(admin, city.slug, email, password);
  await admin.goto(`/c/${city.slug}/admin/line/richmenu`);
  await admin.getByRole("button", { name: "LINEに反映" }).click();
  await expect(admin.getByText("通常メニューをLINEに反映しました。")).toBeVisible({ timeout: 20_000 });
  await staff.close();

  await openSimulatorAndFollow(page);
  const { log, richMenu } = phone(page);
  const reserve = richMenu.getByRole("link", { name: /^予約する/ });
  await expect(reserve).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  // A sending area posts its tap point; the server hit-tests the menu (お知らせの受信設定 sends 受信設定).
  await richMenu.getByRole("button", { name: "お知らせの受信設定" }).click();
  await expect(log).toContainText("受け取りたいお知らせを選んでください");

  // The LIFF view opens in a new tab with the resident's ID token; the page links the LINE account.
  const [liff] = await Promise.all([page.waitForEvent("popup"), reserve.click()]);
  await expect(liff).toHaveURL(new RegExp(`/c/${city.slug}/reserve`));
  const link = liff.getByLabel("このLINEアカウントに予約を連携する");
  await expect(link).toBeVisible({ timeout: 15_000 });
  await liff.getByLabel("接種券番号（10桁）").fill(RESIDENT.ticket);
  await liff.getByLabel("生まれた年").fill(RESIDENT.year);
  await liff.getByLabel("生まれた月").selectOption(RESIDENT.month);
  await liff.getByLabel("生まれた日").selectOption(RESIDENT.day);
  await link.check();
  await liff.getByRole("button", { name: "次へ（連絡先の入力）" }).click();

  await expect(liff.getByRole("heading", { level: 1, name: "連絡先の入力" })).toBeVisible();
  await liff.getByLabel("お名前").fill("紀ノ川 三郎");
  await liff.getByLabel("電話番号").fill("090-4444-5555");
  await liff.getByRole("button", { name: "次へ（会場を選ぶ）" }).click();
  await expect(liff.getByRole("heading", { level: 1, name: "会場を選ぶ" })).toBeVisible();
  await liff
    .getByRole("link", { name: /^この会場で日時を選ぶ/ })
    .first()
    .click();
  await expect(liff.getByRole("heading", { level: 1, name: "日時を選ぶ" })).toBeVisible();
  await liff
    .getByRole("link", { name: /残り\d+人分/ })
    .nth(4)
    .click();
  await liff.locator("main button[name=slot]:not([disabled])").first().click();
  await expect(liff.getByRole("heading", { level: 1, name: "予約内容の確認" })).toBeVisible();
  await liff.getByRole("button", { name: "この内容で予約する" }).click();
  await expect(liff.getByRole("heading", { level: 1, name: "予約完了" })).toBeVisible();
  const code = (await liff.getByText(CODE).textContent())!.trim();
  await liff.close();

  // Back in the simulated phone: the confirmation arrives as a push (outbox → worker → emulator).
  await expect(log).toContainText("予約が確定しました", { timeout: 20_000 });
  await expect(log).toContainText(code);
  await expect(log.getByText("プッシュ", { exact: true })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("plain forms still follow, answer a quick reply and send text (reload to see what arrived)", async ({
    page,
  }) => {
    await page.goto(`/dev/line?city=${DEMO_CITIES.minato.slug}`);
    await page.getByRole("button", { name: "友だち追加", exact: true }).click();
    const { log, quick } = phone(page);
    // No polling without JavaScript: the resident reloads, as they would pull to refresh.
    await expect(async () => {
      await page.reload();
      await expect(quick.getByRole("button", { name: "日本語", exact: true })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await quick.getByRole("button", { name: "日本語", exact: true }).click();
    await expect(async () => {
      await page.reload();
      await expect(quick.getByRole("button", { name: "男性", exact: true })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await quick.getByRole("button", { name: "男性", exact: true }).click();
    await expect(log.getByText("男性", { exact: true })).toBeVisible();
    await page.getByLabel("メッセージ", { exact: true }).fill("こんにちは");
    await page.getByRole("button", { name: "送信", exact: true }).click();
    await expect(log.getByText("こんにちは", { exact: true })).toBeVisible();
    await expect(async () => {
      await page.reload();
      await expect(log).toContainText("【質問2】年代を教えてください。", { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
  });
});
