import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "#db/with-tenant.server";
import { auditLog, faqEntries, faqUnanswered, type Tenant } from "#db/schema/index";
import { purgeConversation } from "#jobs/processors/maintenance/purge-conversation";
import {
  createFaqEntry,
  deleteFaqEntry,
  listUnanswered,
  promoteUnanswered,
  updateFaqEntry,
} from "~/features/faq/admin.server";
import { recordUnanswered } from "~/features/faq/answers.server";
import { importFaqCsv } from "~/features/faq/import.server";
import { publicFaq } from "~/features/faq/public.server";
import { encodeCsv } from "~/lib/csv.server";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/** The FAQ slice's staff side and its 未回答 list against real PostgreSQL (issue 16). */
const dbs = testDbs();
let tenant: Tenant;
let other: Tenant;
let actor: { staffUserId: string; ip: string };

beforeAll(async () => {
  tenant = await makeTenant(dbs.appDb, { name: "FAQテスト市" });
  other = await makeTenant(dbs.appDb, { name: "よその町" });
  const staff = await makeStaff(dbs.appDb, { tenantId: tenant.id });
  actor = { staffUserId: staff.user.id, ip: "192.0.2.10" };
});
afterAll(() => dbs.close());

const entries = (t: Tenant) =>
  dbs.ownerDb.select().from(faqEntries).where(eq(faqEntries.tenantId, t.id)).orderBy(faqEntries.question);
const audits = (t: Tenant, action: string) =>
  dbs.ownerDb
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, t.id), eq(auditLog.action, action)));
const entry = { category: "ごみ", question: "粗大ごみの出し方", answer: "予約制です。", variants: [], published: true };

describe("FAQ entries", () => {
  it("create, update and delete are audited with the staff member and address", async () => {
    const row = await createFaqEntry(dbs.appDb, tenant.id, entry, actor);
    expect(
      await updateFaqEntry(dbs.appDb, tenant.id, row.id, { ...entry, answer: "電話で予約してください。" }, actor),
    ).toEqual({ ok: true, value: undefined });
    expect((await audits(tenant, "faq.update"))[0]).toMatchObject({
      actorId: actor.staffUserId,
      targetId: row.id,
      detail: { changed: ["answer"] },
    });
    expect(await deleteFaqEntry(dbs.appDb, tenant.id, row.id, actor)).toMatchObject({ ok: true });
    expect(await audits(tenant, "faq.create")).toHaveLength(1);
    expect(await audits(tenant, "faq.delete")).toHaveLength(1);
    // Another city's id, or no uuid at all: not found, nothing changed.
    const theirs = await createFaqEntry(dbs.appDb, other.id, entry, actor);
    expect(await deleteFaqEntry(dbs.appDb, tenant.id, theirs.id, actor)).toMatchObject({ ok: false });
    expect(await updateFaqEntry(dbs.appDb, tenant.id, "../etc", entry, actor)).toMatchObject({ ok: false });
  });
});

describe("FAQ CSV import", () => {
  const csv = (lines: string[], encoding: "utf-8" | "shift_jis" = "utf-8") =>
    new Uint8Array(encodeCsv(lines.join("\r\n") + "\r\n", encoding).bytes);

  it("imports a Shift_JIS file, replacing entries with the same question, in one audited step", async () => {
    const city = await makeTenant(dbs.appDb, { name: "取込市" });
    await createFaqEntry(dbs.appDb, city.id, { ...entry, answer: "古い回答" }, actor);
    const result = await importFaqCsv(
      dbs.appDb,
      city.id,
      csv(
        [
          "分野,質問,回答,言いかえ,公開",
          "ごみ,粗大ごみの出し方,新しい回答,粗大ゴミ;大型ごみ,公開",
          '住民票,住民票の写しの取り方,"コンビニでも取れます。",,非公開',
        ],
        "shift_jis",
      ),
      actor,
    );
    expect(result).toEqual({ ok: true, added: 1, updated: 1 });
    const rows = (await entries(city)).sort((a, b) => a.category.localeCompare(b.category));
    expect(rows.map((r) => [r.question, r.answer, r.variants, r.published])).toEqual([
      ["粗大ごみの出し方", "新しい回答", ["粗大ゴミ", "大型ごみ"], true],
      ["住民票の写しの取り方", "コンビニでも取れます。", [], false],
    ]);
    expect((await audits(city, "faq.import"))[0]!.detail).toMatchObject({
      added: 1,
      updated: 1,
      encoding: "shift_jis",
    });
  });

  it("broken quoting or a bad row refuses the whole file with line numbers; nothing is written", async () => {
    const city = await makeTenant(dbs.appDb, { name: "拒否市" });
    const broken = await importFaqCsv(
      dbs.appDb,
      city.id,
      csv(["分野,質問,回答", 'ごみ,粗大ごみ,"閉じていない', "ごみ,缶,水曜日"]),
      actor,
    );
    expect(broken).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining("引用符") }] });
    const bad = await importFaqCsv(
      dbs.appDb,
      city.id,
      csv(["分野,質問,回答", "ごみ,缶の出し方,水曜日", "ごみ,,答えだけ", "ごみ,瓶の出し方,"]),
      actor,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(await entries(city)).toEqual([]);
    expect(await audits(city, "faq.import")).toEqual([]);
  });
});

describe("未回答", () => {
  it("counts questions per city by their normalised text, promotes one into an entry in one step", async () => {
    const city = await makeTenant(dbs.appDb, { name: "未回答市" });
    await withTenant(dbs.appDb, city.id, async (tx) => {
      await recordUnanswered(tx, city.id, "犬の登録は？");
      await recordUnanswered(tx, city.id, "  犬の登録は?  ");
      await recordUnanswered(tx, city.id, "👍");
    });
    const [row] = await listUnanswered(dbs.appDb, city.id);
    expect(await listUnanswered(dbs.appDb, city.id)).toHaveLength(1);
    expect(row).toMatchObject({ text: "犬の登録は?", count: 2 });
    const promoted = await promoteUnanswered(
      dbs.appDb,
      city.id,
      row!.id,
      { category: "ペット", question: "犬の登録", answer: "生活環境課で。", variants: [], published: true },
      actor,
    );
    expect(promoted).toMatchObject({ ok: true, value: { question: "犬の登録" } });
    expect(await listUnanswered(dbs.appDb, city.id)).toEqual([]);
    expect(await audits(city, "faq.promote")).toHaveLength(1);
    // The second promotion of the same row finds nothing and creates nothing.
    expect(await promoteUnanswered(dbs.appDb, city.id, row!.id, { ...entry }, actor)).toMatchObject({ ok: false });
    expect(await entries(city)).toHaveLength(1);
    // The public page finds it.
    expect((await publicFaq(dbs.appDb, city.id, { q: "犬" })).results?.map((e) => e.question)).toEqual(["犬の登録"]);
  });

  it("the daily purge deletes questions not asked for 90 days, and expired dialogs", async () => {
    const city = await makeTenant(dbs.appDb, { name: "削除市" });
    await withTenant(dbs.appDb, city.id, async (tx) => {
      await recordUnanswered(tx, city.id, "古い質問");
      await recordUnanswered(tx, city.id, "新しい質問");
    });
    await dbs.ownerDb
      .update(faqUnanswered)
      .set({ lastAskedAt: new Date(Date.now() - 91 * 86_400_000) })
      .where(and(eq(faqUnanswered.tenantId, city.id), eq(faqUnanswered.text, "古い質問")));
    const purged = await purgeConversation({ db: dbs.appDb });
    expect(purged.unanswered).toBeGreaterThanOrEqual(1);
    expect((await listUnanswered(dbs.appDb, city.id)).map((r) => r.text)).toEqual(["新しい質問"]);
  });
});
