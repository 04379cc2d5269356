import { expect, test } from "@playwright/test";
import { DEMO_CITIES, expectNoSeriousA11yViolations, latestMailTo } from "./support";

// メールで予約を確認する (ADR 027) in a real browser: a resident who cannot pass the ticket check
// asks for a one-time link with the ticket number and the address on the booking, opens the mail's
// link, presses the button and sees the booking; the same link does not work twice. Demo booking
// 森 陽子 (ticket 1000000104, mori.yoko@example.jp, db/seed-reservations.ts).

const city = DEMO_CITIES.kinokawa.slug;
const EMAIL = "mori.yoko@example.jp";

test("a resident gets a one-time link by e-mail and opens the reservation with it", async ({ page }) => {
  await page.goto(`/c/${city}/reservation`);
  await page.getByRole("link", { name: "メールで予約を確認する" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "メールで予約を確認する" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const since = new Date();
  await page.getByLabel("接種券番号（10桁）").fill("1000000104");
  await page.getByLabel("予約のときに登録したメールアドレス").fill(EMAIL);
  await page.getByRole("button", { name: "リンクをメールで受け取る" }).click();
  await expect(page.getByRole("status")).toContainText("リンクをそのアドレスにお送りしました");

  const mail = await latestMailTo(EMAIL, { since, subject: "予約の確認・変更用のリンク", timeoutMs: 20_000 });
  const url = /https?:\/\/\S+\/reservation\/open\/[a-z2-7]{32}/.exec(mail.text)![0];
  const path = new URL(url).pathname;

  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: "予約を確認する" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "予約を表示する" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${city}/reservation$`));
  await expect(page.getByRole("button", { name: "確認を終了する" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Single use.
  await page.goto(path);
  await page.getByRole("button", { name: "予約を表示する" }).click();
  await expect(page.getByRole("alert")).toContainText("このリンクは無効です");
});
