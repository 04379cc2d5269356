import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

/**
 * The demo stack that `playwright.config.ts` starts for the e2e run (`scripts/demo.ts`, production
 * build). Fixed ports and names, so an e2e run never touches the dev server (3000), the dev
 * mailbox or the Vitest database; tests import these instead of repeating them.
 */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

// Overridable so two checkouts can run their e2e suites side by side (CI uses the defaults).
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3310);
export const E2E_SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2535);
/** The demo's Stripe fake (its /__fake control API lets a spec pay an invoice). */
export const E2E_STRIPE_PORT = Number(process.env.E2E_STRIPE_PORT ?? 3312);
export const STRIPE_FAKE_URL = `http://127.0.0.1:${E2E_STRIPE_PORT}`;
export const E2E_DB_NAME = process.env.E2E_DB_NAME ?? "madoguchi_e2e";
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;

/** As passed to the demo (DEMO_MAILBOX_DIR), relative to the repository root. */
export const MAILBOX_DIR_RELATIVE = ".tmp/e2e-mailbox";
/** The same directory as an absolute path, for reading captured mail from a test. */
export const MAILBOX_DIR = resolve(REPO_ROOT, MAILBOX_DIR_RELATIVE);

/** Accounts created by the demo seed. */
export const DEMO_CITIES = {
  kinokawa: { slug: "kinokawa-demo", name: "紀ノ川デモ市" },
  minato: { slug: "minato-demo", name: "みなとデモ町" },
} as const;

/** `totpSecret`: the demo vendor's public, fixed two-factor key (db/seed.ts DEMO_VENDOR_TOTP_SECRET). */
export const DEMO_VENDOR = {
  email: "vendor@madoguchi.example",
  password: "demo-vendor-pass-2026",
  totpSecret: "MADOGUCHIDEMOTOTPSECRETNOTREAL22",
} as const;

export const DEMO_STAFF_PASSWORD = "demo-admin-pass-2026";
export type DemoStaffRole = "admin" | "operator" | "analyst";

/** `demoStaff("kinokawa-demo", "operator")` → operator@kinokawa-demo.example with the seed password. */
export function demoStaff(citySlug: string, role: DemoStaffRole) {
  return { email: `${role}@${citySlug}.example`, password: DEMO_STAFF_PASSWORD } as const;
}
