import { expect, test, type Cookie, type Page } from "@playwright/test";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { DEMO_VENDOR } from "./stack";

/**
 * Fills and submits a login form on the current page: the fields labelled メールアドレス and
 * パスワード, then the button named ログイン. Does not wait for the outcome, so a spec can use it to
 * test a failed login too.
 */
export async function submitLoginForm(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン", exact: true }).click();
}

/** Waits until a successful login has left the login page (the app redirects on success). */
async function expectLoggedIn(page: Page, loginPath: string): Promise<void> {
  await expect(page, `login at ${loginPath} did not succeed`).not.toHaveURL((url) => url.pathname === loginPath);
}

/** Logs in as a city's staff member through /c/:city/admin/login and waits for the redirect. */
export async function loginAsCityStaff(page: Page, citySlug: string, email: string, password: string): Promise<void> {
  const loginPath = `/c/${citySlug}/admin/login`;
  await page.goto(loginPath);
  await submitLoginForm(page, email, password);
  await expectLoggedIn(page, loginPath);
}

/** The TOTP code an authenticator app would show for a base32 key, `stepOffset` periods from now. */
export function totpCode(base32Secret: string, stepOffset = 0, now = Date.now()): string {
  const key = decodeBase32IgnorePadding(base32Secret.replace(/\s/g, "").toUpperCase());
  return generateHOTP(key, BigInt(Math.floor(now / 30_000) + stepOffset), 6);
}

/**
 * Answers the 確認コード prompt on the current page. A code is accepted once (replays are refused),
 * and the app accepts the neighbouring time steps too: try now's and the next step's code, then wait
 * for the next period if an earlier login in the same run already used both.
 */
export async function submitTotp(page: Page, base32Secret: string): Promise<void> {
  const verifyPath = new URL(page.url()).pathname;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt === 2) {
      // Waiting for the next period must not eat the calling test's own time budget.
      test.info().setTimeout(test.info().timeout + 35_000);
      await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 500);
    }
    await page.getByLabel("確認コード").fill(totpCode(base32Secret, attempt % 2));
    const posted = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "確認する", exact: true }).click();
    await posted;
    const left = await page
      .waitForURL((u) => u.pathname !== verifyPath, { timeout: 3_000 })
      .then(
        () => true,
        () => false,
      );
    if (left) return;
  }
  throw new Error("submitTotp: every code was refused");
}

/**
 * A vendor session earned by a full login, per e-mail, kept for the rest of this Playwright worker.
 * Vendor two-factor refuses a replayed code, so a second full login inside the same 30-second TOTP
 * period has to wait for the next one; with a dozen vendor logins in the suite that waiting was over a
 * minute. Specs that are about logging in pass `{ fresh: true }`; the first login is always a full one.
 */
const vendorSessions = new Map<string, Cookie>();

/**
 * Logs in as a vendor (operator of the SaaS) through /vendor/login and the two-factor step, then
 * waits for the console. Vendor two-factor is mandatory; the demo vendor's key is public
 * (DEMO_VENDOR.totpSecret), another vendor's key can be passed. Reuses the session of an earlier full
 * login in this worker when the server still accepts it (it checks: a revoked one falls back).
 */
export async function loginAsVendor(
  page: Page,
  email: string,
  password: string,
  totpSecret: string = DEMO_VENDOR.totpSecret,
  opts: { fresh?: boolean } = {},
): Promise<void> {
  const saved = opts.fresh ? undefined : vendorSessions.get(email);
  if (saved) {
    await page.context().addCookies([saved]);
    await page.goto("/vendor");
    if (!new URL(page.url()).pathname.startsWith("/vendor/login")) return;
    vendorSessions.delete(email);
  }
  const loginPath = "/vendor/login";
  await page.goto(loginPath);
  await submitLoginForm(page, email, password);
  await expect(page, `login at ${loginPath} did not succeed`).toHaveURL(
    (url) => url.pathname === "/vendor/login/verify",
  );
  await submitTotp(page, totpSecret);
  await expect(page).not.toHaveURL((url) => url.pathname.startsWith("/vendor/login"));
  const session = (await page.context().cookies()).find((c) => c.name === "mdg_vendor");
  if (session) vendorSessions.set(email, session);
}
