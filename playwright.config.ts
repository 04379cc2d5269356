import { defineConfig } from "@playwright/test";
import {
  BASE_URL,
  E2E_DB_NAME,
  E2E_PORT,
  E2E_SMTP_PORT,
  E2E_STRIPE_PORT,
  MAILBOX_DIR_RELATIVE,
  REPO_ROOT,
} from "./tests/e2e/support/stack";

/**
 * E2E: Playwright drives Debian's Chromium (never `playwright install`: there is no download here)
 * against the demo stack in production mode (`npm run build` must have run; `npm test` sees to it).
 * One worker, in file order: the specs share one seeded database and one mailbox.
 */
export default defineConfig({
  testDir: "tests/e2e",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // Stops a hung run inside CI's time budget (the test step's 45 minutes, shared with Vitest); the suite
  // grew with issues 15–20 (ten minutes were no longer enough on a loaded box).
  globalTimeout: 30 * 60_000,
  reporter: [["list"], ["json", { outputFile: "playwright-results.json" }]],
  // Empties the e2e mailbox once the stack is up (mail left over from an earlier run).
  globalSetup: "./tests/e2e/support/global-setup.ts",
  use: {
    baseURL: BASE_URL,
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "npx tsx scripts/demo.ts",
    cwd: REPO_ROOT,
    env: {
      DEMO_MODE: "prod",
      DEMO_PORT: String(E2E_PORT),
      DEMO_DB_NAME: E2E_DB_NAME,
      DEMO_FRESH: "1",
      DEMO_MAILBOX_DIR: MAILBOX_DIR_RELATIVE,
      DEMO_SMTP_PORT: String(E2E_SMTP_PORT),
      // The demo's in-process LINE emulator: not 3100, so a running `npm run demo` does not clash.
      DEMO_LINE_PORT: process.env.E2E_LINE_PORT ?? "3311",
      // The demo's in-process Stripe fake: not 3200, for the same reason.
      DEMO_STRIPE_PORT: String(E2E_STRIPE_PORT),
    },
    url: `${BASE_URL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // The demo stops web, worker and SMTP capture on SIGTERM; SIGKILL only if it hangs.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
