import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES } from "./support";

// Issue 15 for the city services that came after it (issues 16–19): every resident page of the FAQ,
// garbage days, reports, shelters and status lookup in 日本語, やさしい日本語 and English — html lang,
// no raw catalogue key, axe with no violations of any impact, and no horizontal scroll at 320 px.

const city = DEMO_CITIES.kinokawa;
const LANGS = [
  { code: "ja", html: "ja" },
  { code: "ja-x-easy", html: "ja" },
  { code: "en", html: "en" },
] as const;

test.describe.configure({ timeout: 180_000 });
test.use({ viewport: { width: 320, height: 720 } });

async function check(page: Page, html: string) {
  expect(await page.locator("html").getAttribute("lang"), page.url()).toBe(html);
  const text = await page.locator("body").innerText();
  expect(text, `raw catalogue key on ${page.url()}`).not.toMatch(
    /\b(?:faq|garbage|reports|shelters|status|common|conversation):[a-zA-Z]/,
  );
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    })),
    `axe on ${page.url()}`,
  ).toEqual([]);
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll, `no horizontal scroll on ${page.url()}`).toBeLessThanOrEqual(width);
}

for (const lang of LANGS) {
  test(`city services in ${lang.code}: FAQ, garbage, report, shelters, status`, async ({ page }) => {
    const base = `/c/${city.slug}`;
    // The choice is kept by cookie from the first ?lang= on.
    await page.goto(`${base}/faq?lang=${lang.code}`);
    await check(page, lang.html);

    await page.goto(`${base}/garbage`);
    await check(page, lang.html);
    // One area's calendar, reached the way a resident does: the first area link.
    await page.locator(`main a[href^="${base}/garbage/"]`).first().click();
    await expect(page).toHaveURL(new RegExp(`${base}/garbage/[^/]+$`));
    await check(page, lang.html);

    await page.goto(`${base}/report`);
    await check(page, lang.html);

    await page.goto(`${base}/shelters`);
    await check(page, lang.html);

    await page.goto(`${base}/status`);
    await check(page, lang.html);
    await page.locator(`main a[href^="${base}/status/"]`).first().click();
    await expect(page).toHaveURL(new RegExp(`${base}/status/[^/]+$`));
    await check(page, lang.html);
  });
}
