import { expect, type Page } from "@playwright/test";

/** Digital Agency (DADS) and WCAG 2.5.5: a target at least 44×44 CSS px. */
export const MIN_TARGET_PX = 44;

/**
 * Fails when a visible control on the page is smaller than 44×44 CSS px: buttons, selects, text
 * fields, standalone links, and radio/checkbox labels (the label is the target; the box is 24px).
 * A link inside a sentence is exempt, as WCAG 2.5.8 allows: making it taller would break the line.
 */
export async function expectTouchTargets(page: Page): Promise<void> {
  const small = await page.evaluate((min) => {
    const found: string[] = [];
    const candidates = document.querySelectorAll<HTMLElement>(
      "a[href], button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), label:has(input[type=radio]), label:has(input[type=checkbox])",
    );
    for (const el of candidates) {
      const r = el.getBoundingClientRect();
      // Hidden or visually hidden (the skip link until focused).
      if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === "hidden") continue;
      if (el.tagName === "A" && getComputedStyle(el).display === "inline") {
        const parentText = (el.parentElement?.textContent ?? "").trim();
        if (parentText !== (el.textContent ?? "").trim()) continue;
      }
      if (r.width < min || r.height < min)
        found.push(
          `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`,
        );
    }
    return found;
  }, MIN_TARGET_PX);
  expect(small, `targets under ${MIN_TARGET_PX}px on ${page.url()}`).toEqual([]);
}
