import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, expectNoSeriousA11yViolations } from "./support";

// Issue 15, phase 1: the resident pages in 日本語, やさしい日本語 and English, chosen with the switch
// on every resident page (kept by cookie), by ?lang= or by the browser's language; 「文字を大きく」
// at 320 px with no horizontal scroll; the LIFF 受信設定 page sets the LINE friend's language.
// Needs the demo stack's LINE emulator as in resident-liff.spec.ts.

const city = DEMO_CITIES.kinokawa;
const LINE_URL = `http://127.0.0.1:${process.env.E2E_LINE_PORT ?? "3311"}`;
const CHANNEL_ID = "2000000001"; // db/seed.ts DEMO_LINE_CHANNELS["kinokawa-demo"].channelId

const htmlLang = (page: Page) => page.locator("html").getAttribute("lang");
const switchNav = (page: Page, name: string | RegExp) => page.getByRole("navigation", { name });

/** A catalogue key on the page (`home.reserve.title`, `line:settings.save`) means a missing text. */
async function expectNoRawKeys(page: Page) {
  const text = await page.locator("body").innerText();
  expect(text).not.toMatch(/\b(?:common|line):[a-z]|\b(?:home|layout|city|error|waiting|settings|survey)\.[a-zA-Z]/);
}

async function noHorizontalScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  expect(scroll, "no horizontal scroll").toBeLessThanOrEqual(width);
}

test("the city home in each language by the switch, kept by cookie, axe-clean in each", async ({ page }) => {
  await page.goto(`/c/${city.slug}`);
  expect(await htmlLang(page)).toBe("ja");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${city.name} オンライン窓口`);
  await expectNoSeriousA11yViolations(page);
  await expectNoRawKeys(page);

  await switchNav(page, "表示の設定").getByRole("link", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${city.name} Online Services`);
  expect(await htmlLang(page)).toBe("en");
  await expect(page.getByRole("link", { name: "Book", exact: true })).toBeVisible();
  await expect(switchNav(page, "Display settings").getByRole("link", { name: "English" })).toHaveAttribute(
    "aria-current",
    "true",
  );
  await expectNoSeriousA11yViolations(page);
  await expectNoRawKeys(page);

  // The choice is kept by cookie on the next page, without ?lang=.
  await page.goto(`/c/${city.slug}`);
  expect(await htmlLang(page)).toBe("en");

  await switchNav(page, "Display settings").getByRole("link", { name: "やさしい にほんご" }).click();
  expect(await htmlLang(page)).toBe("ja");
  await expect(page.getByRole("link", { name: /予約.*する/ }).first()).toBeVisible();
  // Furigana as <ruby> on pages.
  await expect(page.locator("main ruby", { hasText: "予約" }).first()).toBeVisible();
  await expect(page.locator("main rt", { hasText: "よやく" }).first()).toBeAttached();
  await expectNoSeriousA11yViolations(page);
  await expectNoRawKeys(page);

  // An unknown language shows Japanese (and leaves the stored choice alone).
  await page.goto(`/c/${city.slug}?lang=xx-unknown`);
  expect(await htmlLang(page)).toBe("ja");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${city.name} オンライン窓口`);
  await page.goto(`/c/${city.slug}`);
  await expect(page.locator("main ruby").first()).toBeVisible();
});

test.describe("a browser set to English", () => {
  test.use({ locale: "en-GB" });

  test("gets English by default, and the 404 page in English", async ({ page }) => {
    await page.goto(`/c/${city.slug}`);
    expect(await htmlLang(page)).toBe("en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${city.name} Online Services`);
    const res = await page.goto(`/c/${city.slug}/no-such-page`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Page not found");
    expect(await htmlLang(page)).toBe("en");
    await expectNoSeriousA11yViolations(page);
    await expectNoRawKeys(page);
    // Staff pages stay Japanese whatever the browser says.
    await page.goto(`/c/${city.slug}/admin/login`);
    expect(await htmlLang(page)).toBe("ja");
  });
});

test.describe("on a 320 px wide phone", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test("文字を大きく enlarges the type, reflows with no horizontal scroll, in each language", async ({ page }) => {
    await page.goto(`/c/${city.slug}?lang=ja`);
    await noHorizontalScroll(page);
    await switchNav(page, "表示の設定").getByRole("link", { name: "文字を大きく" }).click();
    await expect(page.locator("html")).toHaveAttribute("data-text-size", "large");
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("20px");
    await noHorizontalScroll(page);
    await expectNoSeriousA11yViolations(page);
    for (const lang of ["en", "ja-x-easy"]) {
      await page.goto(`/c/${city.slug}?lang=${lang}`);
      // Kept by cookie across pages and languages.
      await expect(page.locator("html")).toHaveAttribute("data-text-size", "large");
      await noHorizontalScroll(page);
      await expectNoSeriousA11yViolations(page);
    }
    await page.getByRole("link", { name: /^字.*もとの/ }).click();
    await expect(page.locator("html")).not.toHaveAttribute("data-text-size", "large");
  });
});

async function emulator<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${LINE_URL}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`LINE emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

test("受信設定: a LINE friend chooses English for their messages; the page follows, axe-clean", async ({ page }) => {
  const { userId } = await emulator<{ userId: string }>("POST", "/__emulator/users", { language: "ja" });
  expect(
    (
      await emulator<{ status: number }>("POST", "/__emulator/events", {
        channelId: CHANNEL_ID,
        userId,
        events: [{ type: "follow" }],
      })
    ).status,
  ).toBe(200);
  await expect
    .poll(
      async () => {
        const sent = await emulator<{ messages: { kind: string }[] }>(
          "GET",
          `/__emulator/sent?channelId=${CHANNEL_ID}&userId=${userId}`,
        );
        return sent.messages.filter((m) => m.kind === "reply").length;
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  const { idToken } = await emulator<{ idToken: string }>("POST", "/__emulator/id-tokens", {
    channelId: CHANNEL_ID,
    userId,
  });

  await page.goto(`/c/${city.slug}/line/settings?liffMockToken=${encodeURIComponent(idToken)}`);
  await expect(page.getByLabel("メッセージの言葉")).toBeVisible({ timeout: 15_000 });
  expect(await htmlLang(page)).toBe("ja");
  await page.getByLabel("メッセージの言葉").selectOption({ label: "English" });
  await page.getByRole("button", { name: "この内容で保存する" }).click();
  await expect(page.getByText("Your settings have been saved.")).toBeVisible();
  expect(await htmlLang(page)).toBe("en");
  await expect(page.getByLabel("Language of messages")).toHaveValue("en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Notice settings");
  await expectNoSeriousA11yViolations(page);
  await expectNoRawKeys(page);

  await switchNav(page, "Display settings").getByRole("link", { name: "やさしい にほんご" }).click();
  expect(await htmlLang(page)).toBe("ja");
  await expect(page.locator("main ruby", { hasText: "設定" }).first()).toBeVisible();
  // The friend's own choice for LINE stays English; only the page changed.
  await expect(page.getByLabel(/メッセージの ことば/)).toHaveValue("en");
  await expectNoSeriousA11yViolations(page);
  await expectNoRawKeys(page);
});
