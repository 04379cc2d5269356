import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, expectNoSeriousA11yViolations } from "./support";

// A resident opens the booking page inside "LINE" (the LIFF mock, fed with an ID token from the demo
// stack's LINE emulator, as /dev/line does), links the booking to their LINE account, books, and the
// confirmation arrives as a LINE push at the emulator. Then "my reservation" without the ticket
// number, and the 受信設定 page. The server verifies the token at the emulator's /oauth2/v2.1/verify
// exactly as it would at LINE.
//
// Needs from the demo stack (scripts/demo.ts): the in-process LINE emulator on DEMO_LINE_PORT
// (playwright.config.ts: E2E_LINE_PORT, default 3311) with the kinokawa-demo channel registered,
// including its LINE Login channel and secret, its webhook pointed at the app, DEV_TOOLS=1, and
// LINE_API_BASE pointing at the emulator. Demo ticket holder 1000000017 is used here.

const city = DEMO_CITIES.kinokawa.slug;
const LINE_URL = `http://127.0.0.1:${process.env.E2E_LINE_PORT ?? "3311"}`;
// db/seed.ts DEMO_LINE_CHANNELS["kinokawa-demo"].channelId
const CHANNEL_ID = "2000000001";
const RESIDENT = { ticket: "1000000017", year: "2000", month: "12", day: "31" };
const CODE = /^[2-9A-HJKMNP-Z]{8}$/;

type Sent = { kind: string; to: string[]; messages: { type: string; text?: string }[] };

async function emulator<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${LINE_URL}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`LINE emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const sentTo = async (userId: string) =>
  (await emulator<{ messages: Sent[] }>("GET", `/__emulator/sent?channelId=${CHANNEL_ID}&userId=${userId}`)).messages;

/** A new LINE user who follows the city's account; resolves once the app has greeted them (friend stored). */
async function followingFriend(): Promise<string> {
  const { userId } = await emulator<{ userId: string }>("POST", "/__emulator/users");
  const delivered = await emulator<{ status: number }>("POST", "/__emulator/events", {
    channelId: CHANNEL_ID,
    userId,
    events: [{ type: "follow" }],
  });
  expect(delivered.status).toBe(200);
  await expect
    .poll(async () => (await sentTo(userId)).filter((m) => m.kind === "reply").length, { timeout: 15_000 })
    .toBeGreaterThan(0);
  return userId;
}

async function identify(page: Page) {
  await page.getByLabel("接種券番号（10桁）").fill(RESIDENT.ticket);
  await page.getByLabel("生まれた年").fill(RESIDENT.year);
  await page.getByLabel("生まれた月").selectOption(RESIDENT.month);
  await page.getByLabel("生まれた日").selectOption(RESIDENT.day);
}

test("inside LINE: link the LINE account, book, and get the confirmation as a LINE push", async ({ page }) => {
  // A webhook, a booking and a push each go through the outbox and the worker: more than the default 30 s on a slow CI.
  test.setTimeout(60_000);
  const userId = await followingFriend();
  const { idToken } = await emulator<{ idToken: string }>("POST", "/__emulator/id-tokens", {
    channelId: CHANNEL_ID,
    userId,
  });

  await page.goto(`/c/${city}/reserve?liffMockToken=${encodeURIComponent(idToken)}`);
  // LIFF boots, the server verifies the token, the page re-runs its loader and offers the link.
  const link = page.getByLabel("このLINEアカウントに予約を連携する");
  await expect(link).toBeVisible({ timeout: 15_000 });
  await expect(page).not.toHaveURL(/liffMockToken/);
  await expectNoSeriousA11yViolations(page);

  await identify(page);
  await link.check();
  await page.getByRole("button", { name: "次へ（連絡先の入力）" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "連絡先の入力" })).toBeVisible();
  await expect(page.getByText("予約の確認はLINEのメッセージでお届けします。")).toBeVisible();
  await page.getByLabel("お名前").fill("紀ノ川 一郎");
  await page.getByLabel("電話番号").fill("090-2222-3333");
  await page.getByRole("button", { name: "次へ（会場を選ぶ）" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "会場を選ぶ" })).toBeVisible();
  await page
    .getByRole("link", { name: /^この会場で日時を選ぶ/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "日時を選ぶ" })).toBeVisible();
  await page
    .getByRole("link", { name: /残り\d+人分/ })
    .nth(3)
    .click();
  await page.locator("main button[name=slot]:not([disabled])").first().click();

  await expect(page.getByRole("heading", { level: 1, name: "予約内容の確認" })).toBeVisible();
  await expect(page.getByText("LINE", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "この内容で予約する" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "予約完了" })).toBeVisible();
  const code = (await page.getByText(CODE).textContent())!.trim();
  await expect(page.getByText("LINE", { exact: true })).toBeVisible();

  // The confirmation, as a LINE push to this user (outbox → worker → emulator), exactly once.
  await expect
    .poll(async () => (await sentTo(userId)).filter((m) => m.kind === "push").length, { timeout: 20_000 })
    .toBe(1);
  const push = (await sentTo(userId)).find((m) => m.kind === "push")!;
  expect(push.messages[0]!.text).toContain("予約が確定しました");
  expect(push.messages[0]!.text).toContain(`予約番号：${code}`);

  // "My reservation" from LINE: the linked booking, without typing the ticket number.
  await page.goto(`/c/${city}/reservation`);
  await expect(page.getByRole("heading", { name: "このLINEアカウントに連携している予約" })).toBeVisible();
  await expect(page.locator("main li").filter({ hasText: code })).toContainText("LINE");
  await expectNoSeriousA11yViolations(page);
});

test("受信設定: a LINE friend changes the topics, then erases what they told the city", async ({ page }) => {
  const userId = await followingFriend();
  const { idToken } = await emulator<{ idToken: string }>("POST", "/__emulator/id-tokens", {
    channelId: CHANNEL_ID,
    userId,
  });
  await page.goto(`/c/${city}/line/settings?liffMockToken=${encodeURIComponent(idToken)}`);
  await expect(page.getByRole("group", { name: "受け取るお知らせ" })).toBeVisible({ timeout: 15_000 });
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel("防災").check();
  await page.getByLabel("年代").selectOption({ label: "40代" });
  await page.getByRole("button", { name: "この内容で保存する" }).click();
  await expect(page.getByText("受信設定を保存しました。")).toBeVisible();
  await expect(page.getByLabel("防災")).toBeChecked();
  await expect(page.getByLabel("年代")).toHaveValue("40s");

  await page.getByRole("link", { name: "登録した情報を消去する" }).click();
  await page.getByRole("button", { name: "消去する" }).click();
  await expect(page.getByText("登録していた性別・年代・地区・受け取るお知らせを消去しました。")).toBeVisible();
  await expect(page.getByLabel("防災")).not.toBeChecked();
  await expect(page.getByLabel("年代")).toHaveValue("");
});
