import type { Db } from "#db/client.server";
import { createLookup, queueImport } from "~/features/status-lookup/admin.server";
import { importStatuses } from "~/features/status-lookup/import.server";
import { keyPatternOf } from "~/features/status-lookup/keys";

/** A lookup shaped like the demo's 給付金 (shared by tests and db/seed). */
export function makeLookup(
  db: Db,
  tenantId: string,
  staffUserId: string,
  over: { title?: string; opensOn?: string; closesOn?: string } = {},
) {
  return createLookup(
    db,
    tenantId,
    {
      title: over.title ?? "物価高騰対策給付金 申請状況",
      keyLabel: "申請番号",
      keyPattern: keyPatternOf({ kind: "digits", length: 8 }),
      statuses: [
        { code: "s1", label: "受付済み", text: "申請書を受け付けました。審査をお待ちください。" },
        { code: "s2", label: "審査中", text: "申請の内容を審査しています。" },
        { code: "s3", label: "振込予定", text: "振込予定日は{{date}}です。" },
        { code: "s4", label: "不備あり", text: "書類に不備があります。届いた通知をご確認ください。" },
      ],
      note: "振込は申請者名義の口座に行います。",
      opensOn: over.opensOn ?? "2026-11-01",
      closesOn: over.closesOn ?? "2027-03-31",
      contact: "福祉課 給付金担当 0736-00-0000（平日9時〜17時）",
      purgeAfterDays: 90,
    },
    { staffUserId },
  );
}

/** Uploads a CSV text (UTF-8 unless bytes are given) and runs its import at once (no queue). */
export async function importCsv(
  db: Db,
  tenantId: string,
  lookupId: string,
  staffUserId: string,
  csv: string | Buffer,
  today = "2026-12-08",
) {
  const bytes = typeof csv === "string" ? Buffer.from(csv, "utf8") : csv;
  const queued = await queueImport(db, tenantId, { lookupId, filename: "status.csv", bytes }, { staffUserId });
  if (!queued.ok) throw new Error(queued.message);
  return {
    importId: queued.importId,
    outcome: await importStatuses(db, { tenantId, importId: queued.importId, today }),
  };
}
