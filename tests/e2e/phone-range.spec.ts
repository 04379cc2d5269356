import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { DEMO_CITIES, E2E_DB_NAME, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// Issue 13.6, phone booking as staff use it on a call: a caller without her ticket at hand is
// found by name + birth date (typed the way it is heard: hiragana, no space, 昭和 year), the
// operator looks over the next week at every venue and books the earliest free phone seat.
// Demo caller 田中 ヨシ子 (born 1944-05-15, her web booking cancelled) is kept for this spec.

const { kinokawa } = DEMO_CITIES;
const CODE = /[2-9A-HJKMNP-Z]{8}/;

test("an operator finds a caller by name and birth date and books the earliest slot of the week", async ({ page }) => {
  test.setTimeout(90_000);
  const op = demoStaff(kinokawa.slug, "operator");
  await loginAsCityStaff(page, kinokawa.slug, op.email, op.password);
  await page.goto(`/c/${kinokawa.slug}/admin/phone`);
  await page.getByRole("link", { name: "お名前と生年月日で検索" }).click();

  // A name that matches nobody gets a plain answer, not an error page.
  await page.getByLabel("お名前（予約のときのお名前）").fill("存在 しない");
  await page.getByLabel("生まれた年").fill("昭和19");
  await page.getByLabel("生まれた月").selectOption("5");
  await page.getByLabel("生まれた日").selectOption("15");
  await page.getByRole("button", { name: "名前で検索する" }).click();
  await expect(page.getByText("お名前と生年月日が一致する予約が見つかりません。")).toBeVisible();

  await page.getByLabel("お名前（予約のときのお名前）").fill("田中よし子");
  await page.getByLabel("生まれた年").fill("昭和19");
  await page.getByLabel("生まれた月").selectOption("5");
  await page.getByLabel("生まれた日").selectOption("15");
  await page.getByRole("button", { name: "名前で検索する" }).click();
  const matches = page.getByRole("region", { name: /見つかった方（1人）/ });
  await expect(matches).toContainText("田中 ヨシ子");
  await expect(matches).toContainText("電話番号 下4桁 1212");
  await expect(matches).toContainText("キャンセル");
  await expectNoSeriousA11yViolations(page);
  await matches.getByRole("link", { name: "この方を選ぶ" }).click();
  await expect(page.getByRole("heading", { level: 2, name: /対象の方：.*生まれ/ })).toBeVisible();

  // "The earliest free slot next week": every venue, the default seven days from today.
  await expect(page.getByLabel("会場")).toHaveValue("");
  await page.getByRole("button", { name: "空き状況を表示" }).click();
  const slots = page.getByRole("group", { name: /電話枠から予約します/ });
  await expect(slots).toBeVisible();
  await expect(slots).toContainText("残り6人");
  await expectNoSeriousA11yViolations(page);
  const earliest = slots.getByRole("radio").first();
  const label = (await slots.locator("label").first().textContent()) ?? "";
  const when = /\d+年\d+月\d+日.*?\d{1,2}:\d{2}/.exec(label)?.[0] ?? "";
  expect(when).not.toBe("");
  await earliest.check();
  // Her details come from the earlier booking: staff confirm rather than retype.
  await expect(page.getByLabel("お名前（接種を受ける方）")).toHaveValue("田中 ヨシ子");
  await page.getByRole("button", { name: "電話枠で予約する" }).click();
  const booked = page.getByRole("status").filter({ hasText: "予約しました" });
  await expect(booked).toContainText(CODE);
  const code = CODE.exec((await booked.textContent()) ?? "")![0];
  const table = page.getByRole("table", { name: "この方の予約" });
  await expect(table.getByRole("row").filter({ hasText: code })).toContainText(when.split(/\s+/)[0]!);
  await expectNoSeriousA11yViolations(page);

  // Both searches are in the audit log under this operator, from this browser's address.
  const sql = postgres(`postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${E2E_DB_NAME}`, { max: 1 });
  try {
    const rows = await sql<{ ip: string | null; detail: { matches: number } }[]>`
      select host(a.ip) as ip, a.detail from audit_log a join staff_users u on u.id = a.actor_id::uuid
       where a.action = 'reservation.holder.search_name' and u.email = ${op.email}
       order by a.id`;
    expect(rows.map((r) => r.detail.matches)).toEqual([0, 1]);
    expect(rows.every((r) => r.ip === "127.0.0.1")).toBe(true);
  } finally {
    await sql.end();
  }
});
