import { expect, test } from "@playwright/test";
import { DEMO_CITIES, expectNoSeriousA11yViolations } from "./support";

// Whole-stack smoke: the production build serves pages, errors and health through the real routes.

test("the top page renders in Japanese", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
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
