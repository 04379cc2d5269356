import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { DEMO_CITIES, E2E_DB_NAME, demoStaff, expectNoSeriousA11yViolations, loginAsCityStaff } from "./support";

// Operator phone booking (電話予約) in a real browser against the production build (issue 12.2):
// the demo operator finds a caller by ticket number and birth date, books them into the phone
// quota, moves the booking and cancels it. Every step is audited with the operator and the
// client address the server took from the socket (ADR 026; it once stored "local" and failed).
// Demo ticket holder 1000000015 (born 1992-06-30) is kept for this spec.

const { kinokawa } = DEMO_CITIES;
const CALLER = { ticket: "1000000015", year: "1992", month: "6", day: "30" };
const CODE = /[2-9A-HJKMNP-Z]{8}/;

/** Tomorrow in Japan, YYYY-MM-DD (the demo's slots start tomorrow). */
function tomorrowInTokyo() {
  return new Date(Date.now() + 9 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
}

test("an operator books a caller into the phone quota, changes and cancels it, all audited", async ({ page }) => {
  // Three round trips of a whole call, each axe-checked: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const op = demoStaff(kinokawa.slug, "operator");
  await loginAsCityStaff(page, kinokawa.slug, op.email, op.password);
  await page.goto(`/c/${kinokawa.slug}/admin/phone`);
  await expect(page.getByRole("heading", { level: 1, name: "電話予約" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The caller reads out the ticket number (full-width, as typed from a note) and the birth date.
  await page.getByLabel("接種券番号（10桁）").fill("１０００－０００－０１５");
  await page.getByLabel("生まれた年").fill(CALLER.year);
  await page.getByLabel("生まれた月").selectOption(CALLER.month);
  await page.getByLabel("生まれた日").selectOption(CALLER.day);
  await page.getByRole("button", { name: "検索する" }).click();
  await expect(page.getByRole("heading", { level: 2, name: /対象の方：.*生まれ/ })).toBeVisible();
  await expect(page.getByText("まだ予約はありません。")).toBeVisible();

  // Tomorrow at the 中央公民館, from the phone quota.
  await page.getByLabel("会場").selectOption({ label: "中央公民館" });
  await page.getByLabel("開始日").fill(tomorrowInTokyo());
  await page.getByRole("button", { name: "空き状況を表示" }).click();
  await expect(page.getByRole("group", { name: /電話枠から予約します/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("radio").and(page.locator(":not([disabled])")).first().check();
  await page.getByLabel("お名前（接種を受ける方）").fill("紀ノ川 電話子");
  await page.getByRole("textbox", { name: /^電話番号/ }).fill("0736-22-3344");
  await page.getByLabel("代理予約のメモ（任意）").fill("娘さんが代理で電話");
  await page.getByRole("button", { name: "電話枠で予約する" }).click();
  const booked = page.getByRole("status").filter({ hasText: "予約しました" });
  await expect(booked).toContainText(CODE);
  const code = CODE.exec((await booked.textContent()) ?? "")![0];
  const table = page.getByRole("table", { name: "この方の予約" });
  await expect(table).toContainText(code);
  await expect(table).toContainText("電話");
  await expect(table).toContainText("娘さんが代理で電話");

  // The caller wants another time.
  await table.getByRole("link", { name: /日時を変更/ }).click();
  await expect(page.getByText("予約の日時を変更します")).toBeVisible();
  await page.getByRole("radio").and(page.locator(":not([disabled]):not(:checked)")).last().check();
  await page.getByRole("button", { name: "この日時に変更する" }).click();
  await expect(page.getByText("予約の日時を変更しました。変更後の日時をお伝えください。")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // …and then cannot come after all.
  await page
    .getByRole("table", { name: "この方の予約" })
    .getByRole("link", { name: /キャンセル/ })
    .click();
  await expect(page.getByRole("heading", { level: 3, name: "この予約をキャンセルしますか？" })).toBeVisible();
  await page.getByRole("button", { name: "キャンセルする" }).click();
  await expect(page.getByText("予約をキャンセルしました。")).toBeVisible();
  await expect(page.getByRole("table", { name: "この方の予約" })).not.toContainText("予約済み");
  await expectNoSeriousA11yViolations(page);

  // The audit trail: who did what, from which address (this browser's socket: loopback).
  const sql = postgres(`postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${E2E_DB_NAME}`, { max: 1 });
  try {
    const rows = await sql<{ action: string; ip: string | null; email: string }[]>`
      select a.action, host(a.ip) as ip, u.email
        from audit_log a join staff_users u on u.id = a.actor_id::uuid
        join reservations r on r.id::text = a.target_id
       where r.confirmation_code = ${code}
       order by a.id`;
    expect(rows.map((r) => r.action)).toEqual(["reservation.book", "reservation.change", "reservation.cancel"]);
    for (const r of rows) {
      expect(r.email).toBe(op.email);
      expect(r.ip).toBe("127.0.0.1");
    }
    const lookups = await sql<{ ip: string | null }[]>`
      select host(a.ip) as ip from audit_log a join staff_users u on u.id = a.actor_id::uuid
       where a.action = 'reservation.holder.lookup' and u.email = ${op.email}`;
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((l) => l.ip === "127.0.0.1")).toBe(true);
  } finally {
    await sql.end();
  }
});
