import { expect, test } from "@playwright/test";
import iconv from "iconv-lite";
import { DEMO_CITIES, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// A city admin sets up a service, a venue and its slots in the browser: bulk generation with a
// preview, editing one slot, closing a venue-day, and a Shift_JIS CSV from Excel. Names carry a
// stamp so the spec needs nothing from the seed beyond the demo accounts.

const { kinokawa } = DEMO_CITIES;
const stamp = Date.now().toString(36);
const serviceName = `E2E接種-${stamp}`;
const venueName = `E2E会場-${stamp}`;

/** "YYYY-MM-DD" in Japan, `days` from now. */
function japanDate(days: number) {
  return new Date(Date.now() + 9 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

test.describe.configure({ mode: "serial" });

test.beforeEach(async ({ page }) => {
  const admin = demoStaff(kinokawa.slug, "admin");
  await loginAsCityStaff(page, kinokawa.slug, admin.email, admin.password);
});

test("an admin creates a service and a venue; wrong input is explained next to the field and kept", async ({
  page,
}) => {
  const nav = page.getByRole("navigation", { name: "管理メニュー" });
  await nav.getByRole("link", { name: "サービス", exact: true }).click();
  await page.getByRole("link", { name: "サービスを追加" }).click();
  await page.getByLabel("サービス名").fill(serviceName);
  await page.getByLabel("接種回数").fill("11");
  await page.getByLabel("段階1: 何歳以上").fill("65");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByText("接種回数は1〜10回の整数で入力してください。")).toBeVisible();
  await expect(page.getByText("受付開始日時を入力してください。")).toBeVisible();
  await expect(page.getByLabel("サービス名")).toHaveValue(serviceName);
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel("接種回数").fill("2");
  await page.getByLabel("接種間隔（日）").fill("21");
  await page.getByLabel("段階1: 何歳以上").fill("");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByText(`「${serviceName}」を保存しました。`)).toBeVisible();

  await nav.getByRole("link", { name: "会場", exact: true }).click();
  await page.getByRole("link", { name: "会場を追加" }).click();
  await page.getByLabel("会場名").fill(venueName);
  await page.getByLabel("住所").fill("本町9-9");
  await page.getByLabel("緯度（任意）").fill("135.4"); // swapped with the longitude: refused
  await page.getByLabel("経度（任意）").fill("34.27");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByText(/緯度は20〜46の数値で入力してください/)).toBeVisible();
  await page.getByLabel("緯度（任意）").fill("34.27");
  await page.getByLabel("経度（任意）").fill("135.4");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByText(`「${venueName}」を保存しました。`)).toBeVisible();
});

test("bulk generation previews the count, creates once, and creates nothing the second time", async ({ page }) => {
  await page.goto(`/c/${kinokawa.slug}/admin/slots/generate`);
  await page.getByLabel("会場").selectOption({ label: venueName });
  await page.getByLabel("サービス").selectOption({ label: serviceName });
  await page.getByRole("button", { name: "作成される枠数を確認する" }).click();
  const create = page.getByRole("button", { name: /^[\d,]+枠を作成する$/ });
  await expect(create).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const label = (await create.textContent()) ?? "";
  await create.click();
  await expect(page.getByText(`${label.replace("を作成する", "")}を作成しました。`)).toBeVisible();

  await page.getByRole("button", { name: "作成される枠数を確認する" }).click();
  await expect(page.getByText(/うち新しく作成されるのは0枠/)).toBeVisible();
  await expect(page.getByRole("button", { name: /枠を作成する$/ })).toHaveCount(0);
});

test("one slot's capacity is edited, a venue-day is closed, and one of its slots reopens", async ({ page }) => {
  await page.goto(`/c/${kinokawa.slug}/admin/slots`);
  await page.getByLabel("会場").selectOption({ label: venueName });
  await page.getByRole("button", { name: "表示する" }).click();
  await expect(page.getByText("Web 0/20 ・ 電話 0/10").first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page
    .getByRole("link", { name: /の枠を編集$/ })
    .first()
    .click();
  await page.getByLabel("Web枠（LINEを含む）").fill("25");
  await page.getByRole("button", { name: "枠数を保存する" }).click();
  await expect(page.getByText("枠数を保存しました。")).toBeVisible();
  await expect(page.getByText("Web 0/25 ・ 電話 0/10")).toBeVisible();

  await page.getByRole("link", { name: "予約枠の一覧へ戻る" }).click();
  await page.getByRole("link", { name: "この日の枠をすべて休止する" }).first().click();
  const close = page.getByRole("button", { name: /休止して予約をキャンセルする$/ });
  await close.click();
  await expect(page.getByText("休止の理由を入力してください。")).toBeVisible();
  await page.getByLabel("休止の理由").fill("会場の設備点検のため");
  await close.click();
  await expect(page.getByText(/^\d+枠を休止しました。$/)).toBeVisible();
  await page.getByRole("link", { name: "予約枠の一覧へ戻る" }).click();
  await expect(page.getByText("休止（会場の設備点検のため）").first()).toBeVisible();

  // The inspection was called off: one closed slot takes bookings again (its cancellations stay).
  await page
    .getByRole("link", { name: /の枠を編集$/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "受付を再開する" })).toBeVisible();
  const reopen = page.getByRole("button", { name: "受付を再開する" });
  await expect(page.getByText("休止でキャンセルになった予約は元に戻りません。")).toBeVisible();
  await reopen.click();
  await expect(page.getByText("再開の理由を入力してください。")).toBeVisible();
  await page.getByLabel("再開の理由").fill("点検が延期になったため");
  await reopen.click();
  await expect(page.getByText("受付を再開しました。")).toBeVisible();
  await expect(page.getByText("受付中", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "この枠を休止する" })).toBeVisible();
});

test("a Shift_JIS CSV is imported; a file with a bad row imports nothing and names the line", async ({ page }) => {
  const day = japanDate(40);
  const csv = (rows: string[]) =>
    iconv.encode(["会場名,日付,開始,終了,Web枠,電話枠", ...rows].join("\r\n") + "\r\n", "cp932");
  await page.goto(`/c/${kinokawa.slug}/admin/slots/import`);
  await page.getByLabel("サービス").selectOption({ label: serviceName });
  await page.getByLabel("CSVファイル").setInputFiles({
    name: "slots.csv",
    mimeType: "text/csv",
    buffer: csv([`${venueName},${day.replaceAll("-", "/")},9:00,9:30,20,10`, `${venueName},${day},9:30,10:00,abc,10`]),
  });
  await page.getByRole("button", { name: "取り込む" }).click();
  await expect(page.getByText("3行目: Web枠は0〜1000の整数で入力してください（「abc」）。")).toBeVisible();
  await expect(page.getByText(/何も登録していません/)).toBeVisible();

  await page.getByLabel("サービス").selectOption({ label: serviceName });
  await page.getByLabel("CSVファイル").setInputFiles({
    name: "slots.csv",
    mimeType: "text/csv",
    buffer: csv([`${venueName},${day.replaceAll("-", "/")},9:00,9:30,20,10`, `${venueName},${day},9:30,10:00,15,10`]),
  });
  await page.getByRole("button", { name: "取り込む" }).click();
  await expect(page.getByText("2枠を登録しました。")).toBeVisible();
  await expect(page.getByText(/文字コード: Shift_JIS/)).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("bulk generation still previews and creates (plain HTML forms)", async ({ page }) => {
    await page.goto(`/c/${kinokawa.slug}/admin/slots/generate`);
    await page.getByLabel("会場").selectOption({ label: venueName });
    await page.getByLabel("サービス").selectOption({ label: serviceName });
    await page.getByLabel("開始日").fill(japanDate(60));
    await page.getByLabel("終了日").fill(japanDate(66));
    await page.getByRole("button", { name: "作成される枠数を確認する" }).click();
    const create = page.getByRole("button", { name: /^[\d,]+枠を作成する$/ });
    await expect(create).toBeVisible();
    await create.click();
    await expect(page.getByText(/^[\d,]+枠を作成しました。$/)).toBeVisible();
  });
});

test("an operator sees the slots but cannot change them", async ({ page, context }) => {
  await context.clearCookies();
  const op = demoStaff(kinokawa.slug, "operator");
  await loginAsCityStaff(page, kinokawa.slug, op.email, op.password);
  const nav = page.getByRole("navigation", { name: "管理メニュー" });
  await expect(nav.getByRole("link", { name: "予約枠" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "サービス", exact: true })).toHaveCount(0);
  await nav.getByRole("link", { name: "予約枠" }).click();
  await expect(page.getByRole("link", { name: "枠をまとめて作成" })).toHaveCount(0);
  expect((await page.goto(`/c/${kinokawa.slug}/admin/slots/generate`))?.status()).toBe(403);
});
