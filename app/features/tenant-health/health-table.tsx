import { DataTable } from "~/components/ui/data-table";
import { formatDateTimeJa } from "~/lib/japan-time";
import { SEVERITY_LABEL, type Severity, type TokenState } from "./severity";

export type HealthRowView = {
  tenantId: string;
  name: string;
  slug: string;
  webhookErrors: number | null;
  queueDepth: number | null;
  failedJobs: number | null;
  lastBroadcastAt: string | null;
  bookingsToday: number;
  token: TokenState;
  severity: Severity;
  reasons: string[];
};

const TOKEN_LABEL: Record<TokenState, string> = {
  valid: "有効",
  invalid: "無効",
  unknown: "確認できず",
  missing: "未設定",
};
const BADGE: Record<Severity, string> = {
  critical: "bg-error-2 text-white",
  warning: "bg-warning-yellow-1 text-solid-gray-900",
  ok: "bg-success-2 text-white",
};
const count = (n: number | null) => (n === null ? "不明" : n.toLocaleString("ja-JP"));

/** One row per live city, worst first (the order comes from the server). */
export function HealthTable({ rows }: { rows: readonly HealthRowView[] }) {
  return (
    <DataTable
      caption="利用中の自治体の状態（直近24時間、重大なものから）"
      rows={rows}
      rowKey={(r) => r.tenantId}
      emptyMessage="利用中の自治体はまだありません。"
      columns={[
        {
          header: "状態",
          cell: (r) => (
            <>
              <span className={`inline-block rounded-6 px-2 py-0.5 font-bold ${BADGE[r.severity]}`}>
                {SEVERITY_LABEL[r.severity]}
              </span>
              {r.reasons.length ? <span className="mt-1 block text-sm">{r.reasons.join("、")}</span> : null}
            </>
          ),
        },
        // Plain text: the city's link is in the list of all cities below (one link per city on the page).
        {
          header: "自治体",
          rowHeader: true,
          cell: (r) => (
            <>
              {r.name}
              <span className="block text-sm font-normal">/c/{r.slug}</span>
            </>
          ),
        },
        { header: "Webhookエラー", numeric: true, cell: (r) => count(r.webhookErrors) },
        { header: "キュー滞留", numeric: true, cell: (r) => count(r.queueDepth) },
        { header: "失敗ジョブ", numeric: true, cell: (r) => count(r.failedJobs) },
        { header: "最終配信", cell: (r) => (r.lastBroadcastAt ? formatDateTimeJa(r.lastBroadcastAt) : "なし") },
        { header: "本日の予約", numeric: true, cell: (r) => r.bookingsToday.toLocaleString("ja-JP") },
        { header: "トークン", cell: (r) => TOKEN_LABEL[r.token] },
      ]}
    />
  );
}
