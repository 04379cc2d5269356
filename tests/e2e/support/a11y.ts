import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export type A11yOptions = {
  /** CSS selectors to leave out (e.g. a third-party widget), with a reason in the calling spec. */
  exclude?: string[];
  /** axe rule ids to switch off, with a reason in the calling spec. */
  disableRules?: string[];
};

/**
 * Runs axe-core on the page as it is now and fails on any violation with impact "serious" or
 * "critical" (minor and moderate ones are not gated). The failure message lists rule, impact, help
 * and the offending elements.
 */
export async function expectNoSeriousA11yViolations(page: Page, options: A11yOptions = {}): Promise<void> {
  let builder = new AxeBuilder({ page });
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  if (options.disableRules?.length) builder = builder.disableRules(options.disableRules);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  expect(serious, `serious/critical accessibility violations on ${page.url()}`).toEqual([]);
}
