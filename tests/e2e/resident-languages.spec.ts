import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, latestMailTo } from "./support";

// Issue 15, phase 2: the whole booking flow and "my reservation" in 日本語, やさしい日本語 and English
// through the real pages — html lang and a few strings in each, axe with no violations at all on every
// page, English once in large type on a 320 px phone with no horizontal scroll — and a family member
// booking for a parent without JavaScript (「家族の代わりに予約する」), whose notices go to them.
// Data: みなとデモ町's demo ticket holders 1000000005–1000000008 are kept for this spec.

const city = DEMO_CITIES.minato;
type Holder = { ticket: string; year: string; month: string; day: string };
const JA: Holder = { ticket: "1000000005", year: "1955", month: "7", day: "7" };
const EASY: Holder = { ticket: "1000000006", year: "1958", month: "3", day: "31" };
const EN: Holder = { ticket: "1000000007", year: "1962", month: "9", day: "20" };
const PARENT: Holder = { ticket: "1000000008", year: "1965", month: "12", day: "24" };
const CODE = /[2-9A-HJKMNP-Z]{8}/;

// Each test axe-checks a dozen pages; on a busy 2-core box that takes longer than the default 30 s.
test.describe.configure({ timeout: 180_000 });

/** Every rule axe runs, every impact: the brief asks for zero violations on resident pages. */
async function expectAxeClean(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    })),
    `axe on ${page.url()}`,
  ).toEqual([]);
}

/** A catalogue key on the page means a missing text. */
async function expectNoRawKeys(page: Page) {
  const text = await page.locator("body").innerText();
  expect(text).not.toMatch(/\b(?:booking|reservation|common):[a-z]|\b(?:errors|summary|steps|identity|contact)\.[a-z]/);
}

async function expectNoHorizontalScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll, `no horizontal scroll on ${page.url()}`).toBeLessThanOrEqual(width);
}

async function checkPage(page: Page, lang: "ja" | "en", narrow = false, axe = true) {
  expect(await page.locator("html").getAttribute("lang")).toBe(lang);
  await expectNoRawKeys(page);
  // axe runs inside the page: not with JavaScript switched off (the same pages are checked with it on).
  if (axe) await expectAxeClean(page);
  if (narrow) await expectNoHorizontalScroll(page);
}

/** The booking flow by form names and links (the same in every language), checking each page. */
async function book(page: Page, who: Holder, lang: "ja" | "en", narrow = false) {
  await checkPage(page, lang, narrow);
  await page.locator("input[name=birthEra][value=western]").check();
  await page.locator("input[name=ticketNumber]").fill(who.ticket);
  await page.locator("input[name=birthYear]").fill(who.year);
  await page.locator("select[name=birthMonth]").selectOption(who.month);
  await page.locator("select[name=birthDay]").selectOption(who.day);
  await page.locator("main form button[type=submit]").click();

  await expect(page).toHaveURL(/\/reserve\/contact$/);
  await checkPage(page, lang, narrow);
  await page.locator("input[name=name]").fill(lang === "en" ? "Maria Silva" : "みなと 次郎");
  await page.locator("input[name=phone]").fill("090-5555-0000");
  await page.locator("main form button[type=submit]").click();

  await expect(page).toHaveURL(/\/reserve\/venue$/);
  await checkPage(page, lang, narrow);
  await page.locator("main a[href*='/reserve/slot?venue=']").first().click();

  await expect(page).toHaveURL(/\/reserve\/slot\?venue=/);
  await checkPage(page, lang, narrow);
  await page.locator("main a[href*='&day=']").nth(2).click();
  await expect(page.locator("main button[name=slot]").first()).toBeVisible();
  await checkPage(page, lang, narrow);
  await page.locator("main button[name=slot]:not([disabled])").first().click();

  await expect(page).toHaveURL(/\/reserve\/confirm\?slot=/);
  await checkPage(page, lang, narrow);
  await page.locator("main form[method=post] button[type=submit]").click();

  await expect(page).toHaveURL(/\/reserve\/done\/[2-9A-Z]{8}$/);
  await checkPage(page, lang, narrow);
  return page.url().split("/").at(-1)!;
}

/** "My reservation" after the ticket check, then the change and cancel pages (not submitted). */
async function lookUp(page: Page, who: Holder, lang: "ja" | "en", narrow = false) {
  await page.goto(`/c/${city.slug}/reservation`);
  await checkPage(page, lang, narrow);
  await page.locator("input[name=birthEra][value=western]").check();
  await page.locator("input[name=ticketNumber]").fill(who.ticket);
  await page.locator("input[name=birthYear]").fill(who.year);
  await page.locator("select[name=birthMonth]").selectOption(who.month);
  await page.locator("select[name=birthDay]").selectOption(who.day);
  await page.locator("main form button[type=submit]").click();
  await expect(page.locator("main a[href$='/change']").first()).toBeVisible();
  await checkPage(page, lang, narrow);
  await page.locator("main a[href$='/change']").first().click();
  await expect(page).toHaveURL(/\/change$/);
  await checkPage(page, lang, narrow);
  await page.goto(`/c/${city.slug}/reservation`);
  await page.locator("main a[href$='/cancel']").first().click();
  await expect(page).toHaveURL(/\/cancel$/);
  await checkPage(page, lang, narrow);
  await page.goto(`/c/${city.slug}/reservation/link`);
  await checkPage(page, lang, narrow);
  await page.goto(`/c/${city.slug}/reservation/open/not-a-real-token`);
  await checkPage(page, lang, narrow);
}

test("日本語: a resident books and looks up the booking; every page axe-clean", async ({ page }) => {
  await page.goto(`/c/${city.slug}/reserve?lang=ja`);
  await expect(page.getByText("ステップ 1／5")).toBeVisible();
  await expect(page.getByRole("radio", { name: "家族の代わりに予約する" })).toBeVisible();
  const code = await book(page, JA, "ja");
  await expect(page.getByRole("heading", { level: 1, name: "予約完了" })).toBeVisible();
  await expect(page.getByText(code, { exact: true })).toBeVisible();
  await expect(page.locator("main dl")).toContainText(/\d{4}年\d{1,2}月\d{1,2}日\(.\) \d{1,2}:\d{2}〜/);
  await expect(page.locator("main dl")).toContainText("1回目");
  await lookUp(page, JA, "ja");
});

test.describe("やさしい日本語 in large type on a 320 px phone", () => {
  test.use({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });

  test("the same booking with furigana on the pages, no horizontal scroll", async ({ page }) => {
    await page.goto(`/c/${city.slug}/reserve?lang=ja-x-easy&text=large`);
    await expect(page.locator("main h1 ruby", { hasText: "予約" }).first()).toBeVisible();
    await expect(page.locator("main rt", { hasText: "せっしゅけん" }).first()).toBeAttached();
    await expect(page.getByText("かならず", { exact: false }).first()).toBeVisible();
    await book(page, EASY, "ja", true);
    await expect(page.locator("main h1")).toContainText("できました");
    await expect(page.locator("main")).toContainText("QRコード");
    await lookUp(page, EASY, "ja", true);
  });
});

test.describe("English in large type on a 320 px phone", () => {
  test.use({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });

  test("books and looks up with western dates and no horizontal scroll on any page", async ({ page }) => {
    await page.goto(`/c/${city.slug}/reserve?lang=en&text=large`);
    expect(await page.locator("html").getAttribute("data-text-size")).toBe("large");
    await expect(page.getByText("Step 1 of 5")).toBeVisible();
    await expect(page.getByRole("button", { name: "Next (contact details)" })).toBeVisible();
    await expect(page.getByText("Required").first()).toBeVisible();
    // Bad input answers in English too (the schemas' messages come from the catalogue).
    await page.locator("main form button[type=submit]").click();
    await expect(page.getByText("Please enter your vaccination ticket number.")).toBeVisible();
    await checkPage(page, "en", true);
    const code = await book(page, EN, "en", true);
    await expect(page.getByRole("heading", { level: 1, name: "Booking complete" })).toBeVisible();
    await expect(page.getByRole("img", { name: `QR code for booking number ${code}` })).toBeVisible();
    await expect(page.locator("main dl")).toContainText(
      /(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \w{3} \d{1,2}, \d{4} \d{1,2}:\d{2}–/,
    );
    await expect(page.locator("main dl")).toContainText("Dose 1");
    const when = page.locator("main dl div").filter({ hasText: "Date and time" }).locator("dd");
    await expect(when).not.toContainText("年");
    await lookUp(page, EN, "en", true);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check my booking");
  });
});

/** The first page as a family member: the family member's ticket and birth date. */
async function identifyFamily(page: Page) {
  await page.goto(`/c/${city.slug}/reserve?lang=ja`);
  await page.getByRole("radio", { name: "家族の代わりに予約する" }).check();
  await page.getByLabel("接種券番号（10桁）").fill(PARENT.ticket);
  await page.getByLabel("西暦", { exact: true }).check();
  await page.getByLabel("生まれた年").fill(PARENT.year);
  await page.getByLabel("生まれた月").selectOption(PARENT.month);
  await page.getByLabel("生まれた日").selectOption(PARENT.day);
  await page.getByRole("button", { name: "次へ（連絡先の入力）" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "連絡先の入力" })).toBeVisible();
}

test("the family proxy's contact step (relation, errors) is axe-clean in each language", async ({ page }) => {
  await identifyFamily(page);
  await checkPage(page, "ja");
  await page.getByRole("button", { name: "次へ（会場を選ぶ）" }).click();
  await expect(page.getByText("続柄を選択してください。")).toBeVisible();
  await checkPage(page, "ja");
  await page.goto(`/c/${city.slug}/reserve/contact?lang=en`);
  await expect(page.getByRole("radio", { name: "Grandchild" })).toBeVisible();
  await checkPage(page, "en");
  await page.goto(`/c/${city.slug}/reserve/contact?lang=ja-x-easy`);
  await expect(page.locator("main rt", { hasText: "かぞく" }).first()).toBeAttached();
  await checkPage(page, "ja");
});

test.describe("家族の代わりに予約する, without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a daughter books for her father with his ticket; notices go to her; done page and lookup say so", async ({
    page,
  }) => {
    const email = "musume-e2e@example.jp";
    const since = new Date();
    await identifyFamily(page);
    await expect(page.getByText("ご家族の確認ができました")).toBeVisible();
    await checkPage(page, "ja", false, false);
    // Nothing chosen: a polite message on each missing field, nothing stored.
    await page.getByLabel("予約するご家族のお名前").fill("みなと 一郎");
    await page.getByRole("button", { name: "次へ（会場を選ぶ）" }).click();
    await expect(page.getByText("続柄を選択してください。")).toBeVisible();
    await expect(page.getByText("お名前を入力してください。")).toBeVisible();
    await page.getByLabel("あなたのお名前").fill("みなと 花子");
    await page.getByRole("radio", { name: "子", exact: true }).check();
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByRole("button", { name: "次へ（会場を選ぶ）" }).click();

    await page
      .getByRole("link", { name: /^この会場で日時を選ぶ/ })
      .first()
      .click();
    await page
      .getByRole("link", { name: /残り\d+人分/ })
      .nth(3)
      .click();
    await page.locator("main button[name=slot]:not([disabled])").first().click();
    await expect(page.getByRole("heading", { level: 1, name: "予約内容の確認" })).toBeVisible();
    await expect(page.locator("main dl")).toContainText("みなと 花子さん（子）が代わりに予約");
    await page.getByRole("button", { name: "この内容で予約する" }).click();

    await expect(page.getByRole("heading", { level: 1, name: "予約完了" })).toBeVisible();
    await expect(page.getByText("ご家族の予約が完了しました。予約番号をご家族にお伝えください。")).toBeVisible();
    await expect(page.locator("main dl")).toContainText("ご家族（子）による代理予約");
    // The notices promise names the relative's address (masked), and the confirmation reaches her.
    await expect(page.getByTestId("notice-channel")).toContainText("@example.jp）でお送りします");
    await checkPage(page, "ja", false, false);
    const code = page.url().split("/").at(-1)!;
    expect(code).toMatch(CODE);
    const mail = await latestMailTo(email, { since, timeoutMs: 20_000 });
    expect(mail.text).toContain(code);

    // The father's booking, looked up with his ticket, says who booked it.
    await page.goto(`/c/${city.slug}/reservation`);
    await page.getByLabel("接種券番号（10桁）").fill(PARENT.ticket);
    await page.getByLabel("西暦", { exact: true }).check();
    await page.getByLabel("生まれた年").fill(PARENT.year);
    await page.getByLabel("生まれた月").selectOption(PARENT.month);
    await page.getByLabel("生まれた日").selectOption(PARENT.day);
    await page.getByRole("button", { name: "予約を確認する" }).click();
    await expect(page.locator("main")).toContainText("ご家族（子）による代理予約");
    await expect(page.locator("main")).toContainText(code);
  });
});
