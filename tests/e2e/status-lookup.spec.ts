import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, latestMailTo, loginAsCityStaff } from "./support";

// Issue 19 through the real pages: staff create a lookup and import rows (the worker imports), a
// resident checks on the web (no JavaScript needed) and in /dev/line, opts in on both, and a
// re-import that changes the status pushes the new text once and e-mails the web subscriber.

const city = DEMO_CITIES.kinokawa;
const run = Date.now().toString(36).slice(-4);
const TITLE = `E2E給付金${run}`;
// Japan's calendar day, and a year's span around it, for the lookup's open and close dates.
const jst = (offsetDays: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date(Date.now() + offsetDays * 86_400_000));
const csv = (status: string, date = "") =>
  Buffer.from(`申請番号,生年月日,状況,日付\n31415926,昭和35年1月1日,${status},${date}\n27182818,1970/5/5,審査中,\n`);

function phone(page: Page) {
  return {
    log: page.getByRole("log", { name: "トーク履歴" }),
    quick: page.getByRole("region", { name: "クイックリプライ" }),
  };
}
async function say(page: Page, text: string) {
  await page.getByLabel("メッセージ", { exact: true }).fill(text);
  await page.getByRole("button", { name: "送信", exact: true }).click();
}
async function upload(admin: Page, file: Buffer, name: string) {
  await admin.getByLabel("CSVファイル").setInputFiles({ name, mimeType: "text/csv", buffer: file });
  await admin.getByRole("button", { name: "取り込む" }).click();
  await expect(admin.getByRole("row", { name: new RegExp(name) }).getByText(/完了|取り込めませんでした/)).toBeVisible({
    timeout: 30_000,
  });
}

test("staff create and import, residents check on the web and in LINE, and a change is told once", async ({
  page,
  browser,
}) => {
  // One story across three browsers and the worker (two imports, a push, a mail).
  test.setTimeout(120_000);
  const staff = await browser.newContext();
  const admin = await staff.newPage();
  const { email, password } = demoStaff(city.slug, "admin");
  await loginAsCityStaff(admin, city.slug, email, password);
  await admin.goto(`/c/${city.slug}/admin/status/new`);
  await admin.getByLabel("名称").fill(TITLE);
  await admin.getByLabel("受付開始日").fill(jst(-1));
  await admin.getByLabel("受付終了日").fill(jst(60));
  await admin.getByRole("button", { name: "作成する" }).click();
  await expect(admin.getByRole("heading", { name: TITLE })).toBeVisible();
  const lookupUrl = new URL(admin.url()).pathname;
  const lookupId = lookupUrl.split("/").at(-1)!;

  // A bad file is refused with its line number; nothing is imported.
  await upload(admin, Buffer.from("申請番号,生年月日,状況\n31415926,1960-01-01,却下\n"), "bad.csv");
  await admin.getByRole("link", { name: /エラー 1件を見る/ }).click();
  await expect(admin.getByText(/2行目：状況「却下」はこの照会の状況の一覧にありません/)).toBeVisible();
  await upload(admin, csv("受付済み"), "first.csv");
  await expect(admin.getByText("受付済み：1件")).toBeVisible();
  await expectNoSeriousA11yViolations(admin);

  // The web page: a wrong birth date and an unknown number get the same answer; the right pair the status.
  const web = await browser.newContext({ javaScriptEnabled: false });
  const resident = await web.newPage();
  const check = async (key: string, birth: string) => {
    await resident.goto(`/c/${city.slug}/status/${lookupId}`);
    await resident.getByLabel("申請番号").fill(key);
    await resident.getByLabel("生年月日").fill(birth);
    await resident.getByRole("button", { name: "確認する" }).click();
    return (await resident.locator("[data-answer]").innerText()).trim();
  };
  const wrongBirth = await check("31415926", "1960-01-02");
  const unknown = await check("99999999", "1960-01-01");
  expect(wrongBirth).toBe(unknown);
  expect(wrongBirth).toContain("一致しませんでした");
  expect(await check("３１４１５９２６", "昭和35年1月1日")).toContain("申請書を受け付けました");
  const mailbox = `status-${run}@example.jp`;
  await resident.getByLabel("状況が変わったらメールで知らせる").fill(mailbox);
  await resident.getByRole("button", { name: "登録する" }).click();
  await expect(resident.locator("[data-answer]")).toContainText("メールアドレスにお知らせします");
  // axe needs JavaScript: the same page, checked in the scripted browser.
  await page.goto(`/c/${city.slug}/status/${lookupId}`);
  await expectNoSeriousA11yViolations(page);
  // Another city's page knows nothing of this lookup.
  const other = await resident.goto(`/c/${DEMO_CITIES.minato.slug}/status/${lookupId}`);
  expect(other?.status()).toBe(404);

  // LINE: 「申請状況」 → choose → number → birth date → status → opt in.
  await page.goto(`/dev/line?city=${city.slug}`);
  await page.getByRole("button", { name: "友だち追加", exact: true }).click();
  const { log, quick } = phone(page);
  await quick.getByRole("button", { name: "日本語", exact: true }).click();
  await expect(log).toContainText("【質問1】性別を教えてください。");
  await say(page, "申請状況");
  await quick.getByRole("button", { name: TITLE, exact: true }).click();
  await expect(log).toContainText("申請番号を送ってください");
  await say(page, "31415926");
  await expect(log).toContainText("生年月日を送ってください");
  await say(page, "昭和35年1月1日");
  await expect(log).toContainText("状況：受付済み");
  await quick.getByRole("button", { name: "知らせてほしい", exact: true }).click();
  await expect(log).toContainText("このLINEでお知らせします");

  // A re-import changes the status: the push arrives once, the e-mail too.
  const since = new Date();
  await upload(admin, csv("振込予定", jst(20)), "second.csv");
  await expect(admin.getByText("受付済み→振込予定 1件")).toBeVisible();
  await expect(log).toContainText("申請の状況が変わりました", { timeout: 20_000 });
  const mail = await latestMailTo(mailbox, { since, timeoutMs: 20_000 });
  expect(mail.subject).toContain("申請の状況が変わりました");
  // The same file again changes nothing and tells nobody again.
  await upload(admin, csv("振込予定", jst(20)), "third.csv");
  await expect(log.getByText("申請の状況が変わりました")).toHaveCount(1);
});
