import { expect, type Page } from "@playwright/test";

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
  await expect(page, `login at ${loginPath} did not succeed`).not.toHaveURL(
    (url) => url.pathname === loginPath,
  );
}

/** Logs in as a city's staff member through /c/:city/admin/login and waits for the redirect. */
export async function loginAsCityStaff(page: Page, citySlug: string, email: string, password: string): Promise<void> {
  const loginPath = `/c/${citySlug}/admin/login`;
  await page.goto(loginPath);
  await submitLoginForm(page, email, password);
  await expectLoggedIn(page, loginPath);
}

/** Logs in as a vendor (operator of the SaaS) through /vendor/login and waits for the redirect. */
export async function loginAsVendor(page: Page, email: string, password: string): Promise<void> {
  const loginPath = "/vendor/login";
  await page.goto(loginPath);
  await submitLoginForm(page, email, password);
  await expectLoggedIn(page, loginPath);
}
