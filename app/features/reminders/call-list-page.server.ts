import type { Db } from "#db/client.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { callListQuerySchema } from "./call-list.schemas";
import { viewCallList, type CallListRow } from "./call-list.server";

/** The call-list page for ?date= (today in Japan when absent): the list, read and audited in one step. */
export async function loadCallListPage(
  db: Db,
  input: { tenantId: string; query: Record<string, string>; staffUserId: string; ip?: string | null },
  now = new Date(),
) {
  const today = tokyoDateOf(now);
  const parsed = callListQuerySchema.safeParse({ date: input.query.date ?? today });
  if (!parsed.success) {
    return {
      today,
      date: input.query.date ?? "",
      error: parsed.error.issues[0]?.message ?? "日付を正しく選択してください。",
      rows: [] as CallListRow[],
    };
  }
  const rows = await viewCallList(db, {
    tenantId: input.tenantId,
    date: parsed.data.date,
    staffUserId: input.staffUserId,
    ip: input.ip,
  });
  return { today, date: parsed.data.date, error: null, rows };
}
