import { expect, test } from "@playwright/test";
import { DEMO_CITIES, expectNoSeriousA11yViolations } from "./support";

// Whole-stack smoke: the production build serves pages, errors and health through the real routes.

test("the top page renders in Japanese", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
});

test("a resident page enforces its CSP (nonce) and hydrates without a single CSP violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.text().includes("Content Security Policy")) violations.push(m.text());
  });
  const response = await page.goto(`/c/${DEMO_CITIES.kinokawa.slug}/reserve`);
  expect(response?.status()).toBe(200);
  const csp = (await response!.allHeaders())["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect((await response!.allHeaders())["x-content-type-options"]).toBe("nosniff");
  // Every script of the page carries the nonce (the browser hides it from the attribute, not the property).
  const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);
  // Once the modules have loaded and hydrated, nothing was blocked.
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
});

test("an unknown URL answers 404 with the not-found page", async ({ page }) => {
  const response = await page.goto("/no-such-page-for-e2e");
  expect(response?.status()).toBe(404);
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
});

test("an unknown city answers 404", async ({ page }) => {
  const response = await page.goto("/c/no-such-city");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
});

test("/healthz reports ok", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true });
});

test.describe("accessibility (axe: no serious or critical violations)", () => {
  test("top page", async ({ page }) => {
    await page.goto("/");
    await expectNoSeriousA11yViolations(page);
  });

  test("a city's top page", async ({ page }) => {
    const response = await page.goto(`/c/${DEMO_CITIES.kinokawa.slug}`);
    expect(response?.status()).toBe(200);
    await expectNoSeriousA11yViolations(page);
  });
});
