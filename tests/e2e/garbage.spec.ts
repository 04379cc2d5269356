import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// Issue 16 part B in a real browser: a resident finds the garbage calendar of their area from the
// city home (no JavaScript needed), searches an item in half-width kana and gets the .ics feed; an
// admin re-imports the demo city's 5374 set with a preview before saving, and a bad file is refused
// with its line number.

const city = DEMO_CITIES.kinokawa;
const FIXTURES = new URL("../fixtures/garbage/", import.meta.url);
const fixture = (name: string) => ({ name, mimeType: "text/csv", buffer: readFileSync(new URL(name, FIXTURES)) });
const ALL = ["area_days.csv", "center.csv", "description.csv", "target.csv", "remarks.csv"].map(fixture);

test.describe("resident pages without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  // axe runs in the page (JavaScript): the same pages are checked in the next test with it on.
  test("city home → ごみの日 → area calendar, item search and .ics", async ({ page, request }) => {
    await page.goto(`/c/${city.slug}`);
    await page.getByRole("link", { name: "ごみの日を見る" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "ごみの日" })).toBeVisible();
    await page.getByRole("link", { name: "打田", exact: true }).click();

    await expect(page.getByRole("heading", { level: 1, name: "打田 ごみの日" })).toBeVisible();
    const table = page.getByRole("table", { name: /打田の\d{4}年\d{1,2}月のごみの日/ });
    await expect(table).toBeVisible();
    await expect(table.getByRole("rowheader")).not.toHaveCount(0);
    await expect(table).toContainText("燃やすごみ");

    await page.getByRole("link", { name: /次の月/ }).click();
    await expect(page.getByRole("table", { name: /打田の\d{4}年\d{1,2}月のごみの日/ })).toBeVisible();

    await page.getByLabel("品目で調べる（例：電池、ペットボトル）").fill("ﾍﾟｯﾄﾎﾞﾄﾙ");
    await page.getByRole("button", { name: "調べる" }).click();
    const results = page.getByRole("list").filter({ hasText: "中をすすぎ、キャップとラベルを外す。" });
    await expect(results).toContainText("ペットボトル");
    await expect(results).toContainText("分け方：資源（びん・缶・ペットボトル）");

    const href = await page.getByRole("link", { name: "カレンダーに登録する（iCalendar）" }).getAttribute("href");
    const ics = await request.get(href!);
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    const body = await ics.text();
    expect(body).toContain("BEGIN:VCALENDAR");
    expect(body).toContain("燃やすごみ");

    await page.goto(`/c/${city.slug}/garbage/${encodeURIComponent("どこにもない")}`);
    await expect(page.getByText("この地区のごみの日の情報はありません。")).toBeVisible();
  });

  test("in English", async ({ page }) => {
    await page.goto(`/c/${city.slug}/garbage/${encodeURIComponent("粉河")}?lang=en`);
    await expect(page.getByRole("heading", { level: 2, name: "Next collection" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Add to your calendar (iCalendar)" })).toBeVisible();
  });
});

test("the area list, the calendar and search results are axe-clean", async ({ page }) => {
  await page.goto(`/c/${city.slug}/garbage`);
  await expect(page.getByRole("link", { name: "打田", exact: true })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.goto(`/c/${city.slug}/garbage/${encodeURIComponent("打田")}?q=${encodeURIComponent("でんち")}`);
  await expect(page.getByText("分け方：有害ごみ").first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.goto(`/c/${city.slug}/garbage/${encodeURIComponent("打田")}?lang=ja-x-easy&text=large`);
  await expect(page.getByRole("table")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("an admin imports the 5374 set with a preview, then saves; a bad row is refused with its line", async ({
  page,
}) => {
  const admin = demoStaff(city.slug, "admin");
  await loginAsCityStaff(page, city.slug, admin.email, admin.password);
  await page.goto(`/c/${city.slug}/admin/garbage`);
  await expect(page.getByRole("heading", { level: 1, name: "ごみの日" })).toBeVisible();
  await expect(page.getByRole("table", { name: "地区ごとの収集日" })).toContainText("貴志川");
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("link", { name: "5374形式のCSVを取り込む" }).click();
  const bad = Buffer.from(
    "地名,センター,燃やすごみ\n打田,東部クリーンセンター,月 木\n粉河,東部クリーンセンター,月曜\n",
  );
  await page
    .getByLabel("5374形式のCSVファイル（まとめて選択）")
    .setInputFiles([{ name: "area_days.csv", mimeType: "text/csv", buffer: bad }]);
  await page.getByRole("button", { name: "読み込んで確認する" }).click();
  await expect(page.getByText("1件の問題があるため、何も保存していません。")).toBeVisible();
  await expect(
    page.getByText("area_days.csv 3行目: 粉河の「燃やすごみ」: 「月曜」は曜日・日付の書き方として読めません"),
  ).toBeVisible();

  await page.getByLabel("5374形式のCSVファイル（まとめて選択）").setInputFiles(ALL);
  await page.getByRole("button", { name: "読み込んで確認する" }).click();
  const preview = page
    .locator("section")
    .filter({ has: page.getByRole("heading", { name: "読み込んだ内容（まだ保存していません）" }) });
  await expect(preview).toContainText("5地区");
  await expect(preview).toContainText("22品目");
  await expect(preview).toContainText("打田の次の収集日（確認用）");
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "この内容で保存する" }).click();
  await expect(page.getByText("ごみの日のデータを保存しました。")).toBeVisible();

  await page.getByLabel("日付").fill("2030-01-02");
  await page.getByRole("button", { name: "収集なしの日を追加する" }).click();
  await expect(page.getByText("2030-01-02を収集なしにしました。")).toBeVisible();
  await expect(page.getByText(/2030年1月2日.*すべての種類/)).toBeVisible();
});

test("an analyst reads the garbage page but cannot edit", async ({ page }) => {
  const analyst = demoStaff(city.slug, "analyst");
  await loginAsCityStaff(page, city.slug, analyst.email, analyst.password);
  await page.goto(`/c/${city.slug}/admin/garbage`);
  await expect(page.getByRole("table", { name: "地区ごとの収集日" })).toBeVisible();
  await expect(page.getByRole("button", { name: "収集なしの日を追加する" })).toHaveCount(0);
  const res = await page.goto(`/c/${city.slug}/admin/garbage/import`);
  expect(res?.status()).toBe(403);
});
