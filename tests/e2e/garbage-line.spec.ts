import { expect, test, type Page } from "@playwright/test";
import { DEMO_CITIES, expectNoSeriousA11yViolations } from "./support";

// Issue 16 part B through /dev/line: 「ごみの日」 asks the area once (quick replies), then answers the
// next dates; an item in hiragana answers how to put it out. The conversation engine (built in
// parallel) routes text to the garbage responder.

const city = DEMO_CITIES.kinokawa;

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

test("「ごみの日」 asks the area once, then answers; 「ぺっとぼとる」 answers how to put it out", async ({ page }) => {
  await page.goto(`/dev/line?city=${city.slug}`);
  await page.getByRole("button", { name: "友だち追加", exact: true }).click();
  const { log, quick } = phone(page);
  await quick.getByRole("button", { name: "日本語", exact: true }).click();
  await expect(log).toContainText("【質問1】性別を教えてください。");

  await say(page, "ごみの日");
  await expect(log).toContainText("ごみの日をお知らせします。お住まいの地区を選んでください。");
  await quick.getByRole("button", { name: "桃山", exact: true }).click();
  await expect(log).toContainText("桃山のごみの日");
  await expect(log).toContainText("燃やすごみ：");
  await expectNoSeriousA11yViolations(page);

  // The area is remembered: no question the second time.
  await say(page, "ゴミの日");
  await expect(log.getByText("桃山のごみの日")).toHaveCount(2);

  await say(page, "ぺっとぼとる");
  await expect(log).toContainText("「ペットボトル」は「資源（びん・缶・ペットボトル）」です。");
  await expect(log).toContainText("出し方：中をすすぎ、キャップとラベルを外す。");
});
