import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// Segment broadcasts: a city admin composes one in the admin, sees the recipient count, sends it and
// watches it reach 完了; in the LINE simulator (/dev/line) the resident who matches the segment has it
// and the one who does not, has not. The path is the real one: outbox → worker → LINE emulator.

const city = DEMO_CITIES.kinokawa;

async function answerSurvey(page: Page, answers: { gender: string; age: string; area: string; topic: string }) {
  const log = page.getByRole("log", { name: "トーク履歴" });
  const quick = page.getByRole("region", { name: "クイックリプライ" });
  await page.getByRole("button", { name: "友だち追加", exact: true }).click();
  // The survey's first question is the language (issue 15).
  await quick.getByRole("button", { name: "日本語", exact: true }).click();
  await expect(log).toContainText("【質問1】性別を教えてください。");
  await quick.getByRole("button", { name: answers.gender, exact: true }).click();
  await expect(log).toContainText("【質問2】年代を教えてください。");
  await quick.getByRole("button", { name: answers.age, exact: true }).click();
  await expect(log).toContainText("【質問3】お住まいの地区を教えてください。");
  await quick.getByRole("button", { name: answers.area, exact: true }).click();
  await expect(log).toContainText("受け取りたいお知らせを選んでください");
  await quick.getByRole("button", { name: answers.topic, exact: true }).click();
  await expect(quick.getByRole("button", { name: `✓${answers.topic}`, exact: true })).toBeVisible();
  await quick.getByRole("button", { name: "完了", exact: true }).click();
  await expect(log).toContainText("ご回答ありがとうございました。");
}

const resident = (page: Page, label: string) =>
  page.getByRole("list", { name: `${city.name}の住民` }).getByRole("link", { name: label, exact: true });

test("an admin sends a segment broadcast and watches it complete; only the matching resident receives it; a scheduled one is cancelled", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // Two simulated residents: Ａ wants 健康・検診 news and lives in 粉河; Ｂ wants ごみ and lives in 打田.
  await page.goto(`/dev/line?city=${city.slug}`);
  await expect(resident(page, "住民Ａ")).toHaveAttribute("aria-current", "page");
  await answerSurvey(page, { gender: "女性", age: "30代", area: "粉河", topic: "健康・検診" });
  await resident(page, "住民Ｂ").click();
  await expect(resident(page, "住民Ｂ")).toHaveAttribute("aria-current", "page");
  await answerSurvey(page, { gender: "男性", age: "40代", area: "打田", topic: "ごみ" });

  const staff = await browser.newContext();
  const admin = await staff.newPage();
  const { email, password } = demoStaff(city.slug, "admin");
  await loginAsCityStaff(admin, city.slug, email, password);
  await admin.getByRole("link", { name: "配信", exact: true }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "配信" })).toBeVisible();
  await admin.getByRole("link", { name: "新しい配信" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "新しい配信" })).toBeVisible();

  // An empty message is refused with a reason; nothing is sent.
  await admin.getByLabel("件名（管理用）").fill("健診のお知らせ");
  await admin.getByRole("button", { name: "今すぐ配信する" }).click();
  await expect(admin.getByText("メッセージを入力してください。空のメッセージは配信できません。")).toBeVisible();

  const text = `【紀ノ川デモ市】特定健診の受付が始まりました ${Date.now()}`;
  await admin.getByLabel("メッセージ", { exact: true }).fill(text);
  await expect(admin.getByRole("figure", { name: "LINEでの表示イメージ" })).toContainText(text);
  await expect(admin.getByRole("status")).toContainText(/配信対象：[0-9,]+人/);
  await admin.getByLabel("健康・検診", { exact: true }).check();
  await admin.getByLabel("粉河", { exact: true }).check();
  await expect(admin.getByRole("status")).toContainText(/配信対象：(10人未満|[0-9,]+人)/);
  await expectNoSeriousA11yViolations(admin);
  await admin.getByRole("button", { name: "今すぐ配信する" }).click();

  await expect(admin.getByRole("heading", { level: 1, name: "健診のお知らせ" })).toBeVisible();
  await expect(admin.getByText("完了：100%")).toBeVisible({ timeout: 30_000 });
  await expect(admin.getByRole("progressbar", { name: "最新の配信の進み具合" })).toHaveAttribute("value", "100");

  // In the simulator: Ａ (matches) has the broadcast as a multicast, Ｂ (does not) has not.
  const log = page.getByRole("log", { name: "トーク履歴" });
  await resident(page, "住民Ａ").click();
  await expect(log).toContainText(text, { timeout: 15_000 });
  await expect(log.getByText("マルチキャスト", { exact: true })).toBeVisible();
  await resident(page, "住民Ｂ").click();
  await expect(log).toContainText("ご回答ありがとうございました。");
  await expect(log).not.toContainText(text);

  // A scheduled broadcast (a card) is cancelled before it goes out.
  await admin.goto(`/c/${city.slug}/admin/broadcasts/new`);
  await admin.getByLabel("件名（管理用）").fill("防災訓練の予告");
  await admin.getByLabel("カード（見出し・本文・ボタン）").check();
  await admin.getByLabel("見出し", { exact: true }).fill("防災訓練のお知らせ");
  await admin.getByLabel("本文", { exact: true }).fill("来月、市内全域で防災訓練を行います。");
  await admin.getByLabel("日時を指定").check();
  await admin.getByLabel("配信日時（日本時間）").fill("2020-01-01T09:00");
  await admin.getByRole("button", { name: "配信を予約する" }).click();
  await expect(admin.getByText("過去の日時は指定できません。これから先の日時を選んでください。")).toBeVisible();
  await admin.getByLabel("配信日時（日本時間）").fill(`${new Date().getFullYear() + 1}-01-05T09:00`);
  await admin.getByRole("button", { name: "配信を予約する" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "防災訓練の予告" })).toBeVisible();
  await expect(admin.getByText("カードの配信・予約済み")).toBeVisible();
  await admin.getByRole("button", { name: "配信予約を取り消す" }).click();
  await expect(admin.getByText("配信予約を取り消しました。この配信は送られません。")).toBeVisible();
  await expect(admin.getByText("カードの配信・取り消し済み")).toBeVisible();
  await admin.getByRole("link", { name: "配信の一覧に戻る" }).click();
  await expect(admin.getByRole("row", { name: /防災訓練の予告/ })).toContainText("取り消し済み");
  await expect(admin.getByRole("row", { name: /健診のお知らせ/ })).toContainText("完了");
  await staff.close();
});
