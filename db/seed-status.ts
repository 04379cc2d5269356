import type { Db } from "./client.server";
import { createLookup, queueImport } from "../app/features/status-lookup/admin.server";
import { importStatuses } from "../app/features/status-lookup/import.server";
import { keyPatternOf } from "../app/features/status-lookup/keys";
import { addDays, tokyoDateOf } from "../app/lib/japan-time";

/**
 * The demo's 申請状況 (issue 19): 「紀ノ川デモ市 物価高騰対策給付金 申請状況」, open from a month ago
 * for four more months, with rows for the demo numbers below (fictional applicants) in every status,
 * imported through the real import (hashed keys, era and western birth dates).
 */
export const DEMO_STATUS_ROWS = [
  { key: "20260001", birth: "昭和35年1月1日", status: "受付済み", date: "" },
  { key: "20260002", birth: "1958/4/12", status: "審査中", date: "" },
  { key: "20260003", birth: "S42.8.30", status: "振込予定", date: "+14" },
  { key: "20260004", birth: "平成2年11月3日", status: "不備あり", date: "" },
  { key: "20260005", birth: "1975-06-15", status: "振込済み", date: "-3" },
  { key: "20260006", birth: "昭和28年2月20日", status: "受付済み", date: "" },
] as const;

export async function seedDemoStatus(db: Db, tenantId: string, staffUserId: string, now = new Date()) {
  const today = tokyoDateOf(now);
  const lookup = await createLookup(
    db,
    tenantId,
    {
      title: "紀ノ川デモ市 物価高騰対策給付金 申請状況",
      keyLabel: "申請番号",
      keyPattern: keyPatternOf({ kind: "digits", length: 8 }),
      statuses: [
        {
          code: "s1",
          label: "受付済み",
          text: "申請書を受け付けました。審査が終わるまでお待ちください（1か月ほどかかります）。",
        },
        { code: "s2", label: "審査中", text: "申請の内容を審査しています。" },
        { code: "s3", label: "振込予定", text: "審査が終わりました。振込予定日は{{date}}です。" },
        {
          code: "s4",
          label: "不備あり",
          text: "書類に不備があります。お送りした通知をご確認のうえ、書類を出し直してください。",
        },
        { code: "s5", label: "振込済み", text: "{{date}}に指定の口座へ振り込みました。" },
      ],
      note: "申請番号は、申請後にお送りした受付通知（はがき）の右上に書かれた8桁の数字です。",
      opensOn: addDays(today, -30),
      closesOn: addDays(today, 120),
      contact: "福祉課 給付金担当 0736-00-1234（平日8時30分〜17時15分）",
      purgeAfterDays: 90,
    },
    { staffUserId },
  );
  const csv = [
    "申請番号,生年月日,状況,日付",
    ...DEMO_STATUS_ROWS.map((r) => {
      const date = r.date ? addDays(today, Number(r.date)) : "";
      return [r.key, r.birth, r.status, date].join(",");
    }),
  ].join("\n");
  const queued = await queueImport(
    db,
    tenantId,
    { lookupId: lookup.id, filename: "給付金_申請状況_初回.csv", bytes: Buffer.from(csv, "utf8") },
    { staffUserId },
  );
  if (!queued.ok) throw new Error(queued.message);
  await importStatuses(db, { tenantId, importId: queued.importId, today });
  return lookup;
}
