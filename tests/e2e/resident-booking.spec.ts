import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// A resident books, checks, changes and cancels a vaccination appointment on the plain web and
// through the LINE (LIFF) entrance, and once with JavaScript switched off. Data: db/seed-reservations.ts
// (demo ticket holders 1000000018–1000000020 are kept for this spec; every e2e run starts fresh).

const city = DEMO_CITIES.kinokawa.slug;
const WEB = { ticket: "1000000018", year: "1948", month: "6", day: "1" };
const LINE = { ticket: "1000000019", year: "1957", month: "2", day: "14" };
const NO_JS = { ticket: "1000000020", year: "1990", month: "8", day: "8" };
const CODE = /^[2-9A-HJKMNP-Z]{8}$/;

async function identify(
  page: Page,
  who: { ticket: string; year: string; month: string; day: string },
  ticketAsTyped = who.ticket,
) {
  // Shown only when the city offers several services (the demo seed gives one).
  const service = page.getByLabel("予約する内容");
  if (await service.count()) await service.selectOption({ label: "新型コロナワクチン接種" });
  await page.getByLabel("接種券番号（10桁）").fill(ticketAsTyped);
  await page.getByLabel("生まれた年").fill(who.year);
  await page.getByLabel("生まれた月").selectOption(who.month);
  await page.getByLabel("生まれた日").selectOption(who.day);
}

/** Steps 1–6 from the first page (already open); returns the confirmation code. */
async function bookThroughTheFlow(page: Page, who: typeof WEB, ticketAsTyped = who.ticket) {
  await identify(page, who, ticketAsTyped);
  await page.getByRole("button", { name: "次へ（連絡先の入力）" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "連絡先の入力" })).toBeVisible();
  await page.getByLabel("お名前").fill("紀ノ川 花子");
  await page.getByLabel("電話番号").fill("０９０－１２３４－５６７８");
  await page.getByLabel("メールアドレス").fill(`hanako-${who.ticket}@example.jp`);
  await page.getByRole("button", { name: "次へ（会場を選ぶ）" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "会場を選ぶ" })).toBeVisible();
  await expect(page.getByText("バリアフリー").first()).toBeVisible();
  await page
    .getByRole("link", { name: /^この会場で日時を選ぶ/ })
    .first()
    .click();

  await expect(page.getByRole("heading", { level: 1, name: "日時を選ぶ" })).toBeVisible();
  // Day first, then its times. The third day: well before the 24-hour change/cancel cut-off.
  await page
    .getByRole("link", { name: /残り\d+人分/ })
    .nth(2)
    .click();
  await page.locator("main button[name=slot]:not([disabled])").first().click();

  await expect(page.getByRole("heading", { level: 1, name: "予約内容の確認" })).toBeVisible();
  await expect(page.getByText("09012345678")).toBeVisible();
  await page.getByRole("button", { name: "この内容で予約する" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "予約完了" })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/c/${city}/reserve/done/[2-9A-Z]{8}$`));
  const code = (await page.getByText(CODE).textContent())!.trim();
  expect(code).toMatch(CODE);
  return code;
}

test("the first step is accessible and offers the era buttons for the birth year", async ({ page }) => {
  const response = await page.goto(`/c/${city}/reserve`);
  expect(response?.status()).toBe(200);
  for (const era of ["昭和", "平成", "大正", "令和", "西暦"])
    await expect(page.getByLabel(era, { exact: true })).toHaveCount(1);
  await expectNoSeriousA11yViolations(page);
});

test("a wrong birth date gets the one uniform message and the typed values stay", async ({ page }) => {
  await page.goto(`/c/${city}/reserve`);
  await identify(page, { ...NO_JS, day: "9" });
  await page.getByRole("button", { name: "次へ（連絡先の入力）" }).click();
  await expect(page.getByRole("alert")).toContainText("接種券番号または生年月日が確認できませんでした。");
  await expect(page.getByLabel("接種券番号（10桁）")).toHaveValue(NO_JS.ticket);
  await expect(page.getByLabel("生まれた日")).toHaveValue("9");
  await expect(page).toHaveURL(new RegExp(`/c/${city}/reserve$`));
});

test("a resident books on the web, finds the booking, changes it and cancels it", async ({ page }) => {
  await page.goto(`/c/${city}/reserve`);
  const code = await bookThroughTheFlow(page, WEB, "１０００－０００－０１８"); // full-width, with hyphens
  await expect(page.getByText("ウェブ", { exact: true })).toBeVisible();

  // My reservation: a separate identity check, then the list.
  await page.getByRole("link", { name: "予約の確認・変更" }).first().click();
  await identify(page, WEB);
  await page.getByRole("button", { name: "予約を確認する" }).click();
  const card = page.locator("main li").filter({ hasText: code });
  await expect(card).toContainText("1回目");
  await expect(card).toContainText("ウェブ");
  const before = await card.locator("dd").first().textContent();

  // Change: another day at the same venue, confirmed on the page before it happens.
  await card.getByRole("link", { name: /^日時・会場を変更する\s*（1回目）$/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "予約の変更" })).toBeVisible();
  await page
    .getByRole("link", { name: /残り\d+人分/ })
    .nth(4)
    .click();
  await page.locator("main button[name=slot]:not([disabled])").first().click();
  await expect(page.getByRole("heading", { name: "この日時に変更しますか" })).toBeVisible();
  await page.getByRole("button", { name: "この日時に変更する" }).click();
  await expect(page.getByText("予約を変更しました。")).toBeVisible();
  const moved = page.locator("main li").filter({ hasText: code });
  await expect(moved.locator("dd").first()).not.toHaveText(before!);

  // Cancel, after a confirmation page.
  await moved.getByRole("link", { name: /^キャンセルする\s*（1回目）$/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "予約のキャンセル" })).toBeVisible();
  await page.getByRole("button", { name: "予約をキャンセルする" }).click();
  await expect(page.getByText("予約をキャンセルしました。")).toBeVisible();
  await expect(page.getByText("現在、予約はありません。")).toBeVisible();
});

test("the LINE rich menu's entrance books with the LINE channel", async ({ page }) => {
  await page.goto(`/c/${city}/reserve?channel=line`);
  await expect(page.getByText("LINEからご利用いただいています。")).toBeVisible();
  const code = await bookThroughTheFlow(page, LINE);
  await expect(page.getByText("LINE", { exact: true })).toBeVisible();

  await page.goto(`/c/${city}/reservation`);
  await identify(page, LINE);
  await page.getByRole("button", { name: "予約を確認する" }).click();
  await expect(page.locator("main li").filter({ hasText: code })).toContainText("LINE");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the whole booking works with plain forms and redirects", async ({ page }) => {
    await page.goto(`/c/${city}/reserve`);
    const code = await bookThroughTheFlow(page, NO_JS);
    // The flow's cookie is gone after the booking: its pages send the resident back to step 1.
    await page.goto(`/c/${city}/reserve/venue`);
    await expect(page).toHaveURL(new RegExp(`/c/${city}/reserve\\?expired=1$`));
    await page.goto(`/c/${city}/reservation`);
    await identify(page, NO_JS);
    await page.getByRole("button", { name: "予約を確認する" }).click();
    await expect(page.locator("main li").filter({ hasText: code })).toContainText("ウェブ");
  });
});

test("in a rush the city turns on 順番待ち: the second resident waits, and goes on once the city lifts the limit", async ({
  page,
  browser,
}) => {
  const { email, password } = demoStaff(city, "admin");
  await loginAsCityStaff(page, city, email, password);
  const setLimit = async (value: string, saved: string) => {
    await page.goto(`/c/${city}/admin/services`);
    const waiting = page.getByRole("region", { name: "順番待ち（混雑時の受付）" });
    await waiting.getByLabel(/^同時に予約手続きできる人数/).fill(value);
    await waiting.getByRole("button", { name: "保存する" }).click();
    await expect(page.getByText(saved)).toBeVisible();
  };
  await setLimit("1", "同時に予約手続きできる人数を1人に設定しました。");
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  try {
    // The first resident is let in; the second waits at the head of the queue.
    await first.goto(`/c/${city}/reserve`);
    await expect(first.getByLabel("接種券番号（10桁）")).toBeVisible();
    await second.goto(`/c/${city}/reserve`);
    await expect(second.getByRole("heading", { level: 1, name: "順番待ち" })).toBeVisible();
    await expect(second.getByText("ただいま混み合っています。順番にご案内しています")).toBeVisible();
    await expect(second.getByText("まもなくご案内します。")).toBeVisible();
    await expect(second.getByLabel("接種券番号（10桁）")).toHaveCount(0);
    await expectNoSeriousA11yViolations(second);
    // Coming back keeps the first resident's place.
    await first.reload();
    await expect(first.getByLabel("接種券番号（10桁）")).toBeVisible();
  } finally {
    // Lifted whatever happened above: the other specs book in this city.
    await setLimit("", "順番待ちを使わない設定にしました。");
  }
  await second.getByRole("button", { name: "今すぐ確認" }).click();
  await expect(second.getByLabel("接種券番号（10桁）")).toBeVisible();
  await first.context().close();
  await second.context().close();
});
