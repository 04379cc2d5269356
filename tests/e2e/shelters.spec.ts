import { expect, test, type Page } from "@playwright/test";
import {
  DEMO_CITIES,
  DEMO_VENDOR,
  demoStaff,
  expectNoSeriousA11yViolations,
  loginAsCityStaff,
  loginAsVendor,
} from "./support";

// Issue 18 through the real pages and /dev/line (the LINE emulator): staff open shelters from the
// phone-sized status page, a resident's location gets the nearest open ones as a carousel, 津波 mode
// swaps the rich menu and filters the shelters, a safety check is answered and counted. The demo
// city (紀ノ川デモ市) is seeded with 15 shelters, all 未開設.

const city = DEMO_CITIES.kinokawa;

function phone(page: Page) {
  return {
    log: page.getByRole("log", { name: "トーク履歴" }),
    quick: page.getByRole("region", { name: "クイックリプライ" }),
    menu: page.getByRole("form", { name: "リッチメニュー" }),
  };
}

async function sendPlace(page: Page, title: string) {
  await page.getByLabel("送る場所").selectOption({ label: title });
  await page.getByRole("button", { name: "位置情報を送る", exact: true }).click();
}

async function setStatus(staff: Page, name: string, status: string) {
  await staff.goto(`/c/${city.slug}/admin/shelters/status`);
  await staff.getByRole("link", { name: new RegExp(`^${name}`) }).click();
  await staff.getByRole("button", { name: status, exact: true }).click();
  await expect(staff.getByRole("status")).toContainText(`${name}を「${status}」にしました。`);
}

test("staff open 3 shelters and mark 1 full; a location gets the right carousel; 津波 mode swaps the menu and filters; a safety check is answered and counted", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const staffContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const staff = await staffContext.newPage();
  const admin = demoStaff(city.slug, "admin");
  await loginAsCityStaff(staff, city.slug, admin.email, admin.password);
  // The everyday menu is on LINE first (the demo leaves publishing to its user).
  await staff.goto(`/c/${city.slug}/admin/line/richmenu`);
  await staff.getByRole("button", { name: "LINEに反映" }).click();
  await expect(staff.getByText("通常メニューをLINEに反映しました。")).toBeVisible({ timeout: 20_000 });

  // Two taps each at the door: the shelter, then its status.
  await setStatus(staff, "紀ノ川デモ市役所 本庁舎", "開設");
  await setStatus(staff, "打田総合運動公園", "開設");
  await setStatus(staff, "打田高台防災広場", "開設");
  await setStatus(staff, "打田中学校 体育館", "満");
  await expectNoSeriousA11yViolations(staff);

  // A resident follows, answers the survey with the area 打田, and asks for shelters.
  await page.goto(`/dev/line?city=${city.slug}`);
  await page.getByRole("button", { name: "友だち追加", exact: true }).click();
  const { log, quick, menu } = phone(page);
  await quick.getByRole("button", { name: "日本語", exact: true }).click();
  await quick.getByRole("button", { name: "回答しない", exact: true }).click();
  await expect(log).toContainText("【質問2】年代を教えてください。");
  await quick.getByRole("button", { name: "回答しない", exact: true }).click();
  await quick.getByRole("button", { name: "打田", exact: true }).click();
  await quick.getByRole("button", { name: "完了", exact: true }).click();
  await expect(log).toContainText("ご回答ありがとうございました。");

  await menu.getByRole("button", { name: "避難所", exact: true }).click();
  await expect(log).toContainText("近くの開いている避難所をお知らせします。");
  await expect(quick.getByRole("link", { name: /位置情報を送る/ })).toBeVisible();
  await sendPlace(page, "紀ノ川デモ市役所");
  const carousel = log.getByRole("list", { name: "カルーセル" }).last();
  await expect(carousel.getByRole("listitem")).toHaveCount(3);
  await expect(carousel.getByRole("listitem").nth(0)).toContainText("紀ノ川デモ市役所 本庁舎");
  await expect(carousel).toContainText("打田総合運動公園");
  await expect(carousel).toContainText("打田高台防災広場");
  await expect(carousel).not.toContainText("打田中学校"); // 満, and three open ones are nearer
  await expect(carousel).toContainText(/約\d+(\.\d)? k?m・徒歩\d+分/);
  await expect(carousel).toContainText("出典：国土地理院");
  await expectNoSeriousA11yViolations(page);

  // 津波: the disaster menu for every friend; 打田総合運動公園 (not safe for 津波) drops out, 満 comes last.
  await staff.goto(`/c/${city.slug}/admin/shelters`);
  await staff.getByLabel("災害の種類").selectOption({ label: "津波" });
  await staff.getByRole("button", { name: "災害モードを開始する" }).click();
  await expect(staff.getByRole("status")).toContainText("災害モードを開始しました（津波）");
  await expect(staff.getByRole("link", { name: "「防災」を選んだ友だちに配信する" })).toBeVisible();

  await page.reload();
  await expect(menu.getByRole("button", { name: "避難所を探す", exact: true })).toBeVisible();
  await sendPlace(page, "紀ノ川デモ市役所");
  await expect(log).toContainText("災害（津波）に対応した、近くの開いている避難所です。");
  const tsunami = log.getByRole("list", { name: "カルーセル" }).last();
  await expect(tsunami.getByRole("listitem")).toHaveCount(3);
  await expect(tsunami).not.toContainText("打田総合運動公園");
  await expect(tsunami.getByRole("listitem").nth(2)).toContainText("打田中学校 体育館");
  await expect(tsunami.getByRole("listitem").nth(2)).toContainText("満");

  // The residents' pages carry the banner.
  const resident = await browser.newPage();
  await resident.goto(`/c/${city.slug}/shelters`);
  await expect(resident.getByText("災害モード：津波の災害に備えてください。")).toBeVisible();
  await resident.close();

  // 安否確認 to 打田: the resident answers 支援が必要; staff see it with the area only.
  await staff.goto(`/c/${city.slug}/admin/safety`);
  await staff.getByLabel("打田", { exact: true }).check();
  await staff.getByRole("button", { name: "安否確認を送る" }).click();
  await expect(staff.getByRole("status")).toContainText(/安否確認を\d+人に送りました。/);
  await page.reload();
  await expect(log).toContainText("無事ですか。");
  await quick.getByRole("button", { name: "支援が必要", exact: true }).click();
  await expect(log).toContainText("市の担当者が確認します。");
  await staff.reload();
  await expect(staff.getByRole("heading", { name: "支援が必要（1件）" })).toBeVisible();
  await expect(staff.getByRole("row", { name: /^打田/ })).toContainText("10人未満");
  await expectNoSeriousA11yViolations(staff);

  // Off restores the everyday menu.
  await staff.goto(`/c/${city.slug}/admin/shelters`);
  await staff.getByLabel("災害の種類").selectOption({ label: "災害モードを終了する" });
  await staff.getByRole("button", { name: "切り替える" }).click();
  await expect(staff.getByRole("status")).toContainText("災害モードを終了しました。");
  await page.reload();
  await expect(menu.getByRole("button", { name: "避難所", exact: true })).toBeVisible();
  await staffContext.close();
});

test("the web shelter page: by area without JavaScript, by distance with it; axe-clean both ways", async ({
  browser,
}) => {
  // Without JavaScript: the app's scripts are not loaded, so the page is the server's HTML only (axe
  // still needs the browser's own JavaScript to run, so it is the bundles that are blocked).
  const noJs = await browser.newContext();
  await noJs.route(/\.(js|mjs)(\?.*)?$/, (route) => route.abort());
  const plain = await noJs.newPage();
  await plain.goto(`/c/${city.slug}/shelters`);
  await expect(plain.getByRole("heading", { level: 1, name: "避難所" })).toBeVisible();
  await expect(plain.getByRole("heading", { level: 3, name: "粉河" })).toBeVisible();
  await expect(plain.getByRole("heading", { level: 4, name: "粉河小学校" })).toBeVisible();
  await expect(plain.getByRole("button", { name: "近い順に並べる" })).toHaveCount(0);
  await expect(plain.getByText("出典：国土地理院")).toBeVisible();
  await expectNoSeriousA11yViolations(plain);
  await noJs.close();

  const withJs = await browser.newContext({
    geolocation: { latitude: 34.2797, longitude: 135.4063 },
    permissions: ["geolocation"],
  });
  const page = await withJs.newPage();
  await page.goto(`/c/${city.slug}/shelters`);
  await page.getByRole("button", { name: "近い順に並べる" }).click();
  await expect(page.getByRole("status")).toContainText("現在地から近い順に並べました。");
  await expect(page.getByRole("heading", { level: 2 }).first()).toHaveText("粉河小学校");
  await expect(page.getByText(/約\d+ m・徒歩\d+分/).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await withJs.close();
});

test("the vendor switches disaster mode for the chosen cities only; the others are untouched", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await loginAsVendor(page, DEMO_VENDOR.email, DEMO_VENDOR.password);
  await page.goto("/vendor/disaster");
  await page.getByLabel(/紀ノ川デモ市/).check();
  await page.getByLabel("災害の種類").selectOption({ label: "洪水" });
  await page.getByRole("button", { name: "選んだ自治体に適用する" }).click();
  await expect(page.getByRole("status")).toContainText("1自治体で災害モード（洪水）を開始しました。");
  await expect(page.getByLabel(/紀ノ川デモ市（災害モード中：洪水）/)).toBeVisible();
  await expect(page.getByLabel(/みなとデモ町$/)).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const resident = await browser.newPage();
  await resident.goto(`/c/${city.slug}/shelters`);
  await expect(resident.getByText("災害モード：洪水の災害に備えてください。")).toBeVisible();
  await resident.goto(`/c/${DEMO_CITIES.minato.slug}/shelters`);
  await expect(resident.getByText(/災害モード：/)).toHaveCount(0);
  await resident.close();

  await page.getByLabel(/紀ノ川デモ市/).check();
  await page.getByLabel("災害の種類").selectOption({ label: "災害モードを終了する" });
  await page.getByRole("button", { name: "選んだ自治体に適用する" }).click();
  await expect(page.getByRole("status")).toContainText("1自治体で災害モードを終了しました。");
});
