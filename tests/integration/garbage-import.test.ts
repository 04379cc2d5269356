import { and, eq } from "drizzle-orm";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, tenants, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { loadGarbage, savePending } from "~/features/garbage/garbage.server";
import { parse5374 } from "~/features/garbage/import-5374.server";
import { previewImport } from "~/features/garbage/import.server";
import { garbageFixtureFiles } from "#tests/factories/garbage";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/** Issue 16 part B, item 1: the 5374 set in (UTF-8 and Shift_JIS), preview, save all-or-nothing, refusals with lines. */
const dbs = testDbs();
let city: Tenant;
let staffId: string;
const NOW = new Date("2026-12-08T03:00:00Z");
const utf8 = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { areas: ["打田", "粉河"] });
  staffId = (await makeStaff(dbs.appDb, { tenantId: city.id })).user.id;
});
afterAll(() => dbs.close());

describe("5374 import", () => {
  it("previews without changing what residents see, then saves with the areas added and an audit entry", async () => {
    const first = await previewImport(dbs.appDb, city, garbageFixtureFiles(), NOW);
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    expect(first.preview.counts).toEqual({ areas: 5, categories: 6, items: 22, centers: 2 });
    expect(first.preview.notCityAreas).toEqual(["那賀", "桃山", "貴志川"]);
    expect(first.preview.areasAdded).toHaveLength(5);
    // 打田 from Tue 2026-12-08: 燃やすごみ Thu 12/10; 資源 Tue 12/8 itself; 燃やさないごみ 2nd Wed 12/9.
    expect(first.preview.sample?.area).toBe("打田");
    expect(first.preview.sample?.next.slice(0, 3)).toEqual([
      { category: "燃やすごみ", date: "2026-12-10" },
      { category: "燃やさないごみ", date: "2026-12-09" },
      { category: "資源（びん・缶・ペットボトル）", date: "2026-12-08" },
    ]);
    // Staff may pick the area to check; a new preview replaces the pending one.
    const r = await previewImport(dbs.appDb, city, garbageFixtureFiles(), NOW, "貴志川");
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.preview.sample?.area).toBe("貴志川");
    expect(await withTenant(dbs.appDb, city.id, (tx) => loadGarbage(tx, city.id))).toBeNull();

    const refused = await savePending(
      dbs.appDb,
      city,
      { extendAreas: false, pendingAt: r.preview.pendingAt },
      { staffUserId: staffId },
    );
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining("那賀") });
    expect(await withTenant(dbs.appDb, city.id, (tx) => loadGarbage(tx, city.id))).toBeNull();

    const stale = await savePending(
      dbs.appDb,
      city,
      { extendAreas: true, pendingAt: "2020-01-01T00:00:00.000Z" },
      { staffUserId: staffId },
    );
    expect(stale.ok).toBe(false);

    const saved = await savePending(
      dbs.appDb,
      city,
      { extendAreas: true, pendingAt: r.preview.pendingAt },
      { staffUserId: staffId },
    );
    expect(saved).toEqual({ ok: true, added: ["那賀", "桃山", "貴志川"] });
    const [t] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, city.id));
    expect(t!.areas).toEqual(["打田", "粉河", "那賀", "桃山", "貴志川"]);
    const state = await withTenant(dbs.appDb, city.id, (tx) => loadGarbage(tx, city.id));
    expect(state?.dataset.areas.map((a) => a.name)).toEqual(t!.areas);
    // Another city's transaction sees none of it (RLS), even when asked for this city's id.
    const other = await makeTenant(dbs.appDb, {});
    expect(await withTenant(dbs.appDb, other.id, (tx) => loadGarbage(tx, city.id))).toBeNull();
    const audits = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "garbage.import")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorKind: "staff", actorId: staffId });
  });

  it("reads Shift_JIS files as Excel on Japanese Windows saves them", () => {
    const files = garbageFixtureFiles();
    const text = new TextDecoder().decode(files["area_days.csv"]);
    const r = parse5374({ ...files, "area_days.csv": iconv.encode(text, "cp932") });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.encodings["area_days.csv"]).toBe("shift_jis");
    expect(r.dataset.areas[0]).toMatchObject({ name: "打田", center: "東部クリーンセンター" });
    expect(r.dataset.areas[0]!.rules["燃やすごみ"]).toBe("月 木");
  });

  it("refuses the whole set with every problem and its line number, and stores nothing", async () => {
    const before = await withTenant(dbs.appDb, city.id, (tx) => loadGarbage(tx, city.id));
    const files = {
      ...garbageFixtureFiles(),
      "area_days.csv": utf8(
        [
          "地名,センター,燃やすごみ,燃やさないごみ",
          "打田,東部クリーンセンター,月 木,水2",
          "粉河,東部クリーンセンター,管路,水1",
          "那賀,西部クリーンセンター,月 木,20270230",
          "桃山,西部クリーンセンター,金4:13,水3",
          "貴志川,南部センター,月 *9,水3",
        ].join("\n"),
      ),
      "center.csv": utf8(
        "名称,休止開始日,休止終了日\n東部クリーンセンター,2026/12/31,2027/1/3\n西部クリーンセンター,2026/13/30,2027/1/4\n",
      ),
    };
    const r = await previewImport(dbs.appDb, city, files, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.file}:${p.line}`)).toEqual([
      "center.csv:3",
      "area_days.csv:3",
      "area_days.csv:4",
      "area_days.csv:5",
      "area_days.csv:6",
      "area_days.csv:6",
    ]);
    expect(r.problems[1]!.message).toContain("管路");
    const after = await withTenant(dbs.appDb, city.id, (tx) => loadGarbage(tx, city.id));
    expect(after?.dataset).toEqual(before?.dataset);

    const broken = parse5374({ "area_days.csv": utf8('地名,センター,燃やすごみ\n打田,,"月 木\n粉河,,火\n') });
    expect(broken).toMatchObject({ ok: false, problems: [{ file: "area_days.csv" }] });
    expect(parse5374({})).toMatchObject({ ok: false, problems: [{ file: "area_days.csv", line: 1 }] });
  });
});
