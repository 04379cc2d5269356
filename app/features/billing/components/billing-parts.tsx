import type { ReactNode } from "react";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import type { BillingStatus } from "#db/schema/billing";
import type { BillingStanding } from "../standing";
import { COLLECTION_LABEL, INVOICE_STATUS_LABEL, dateJa, yen } from "../labels";

/** Billing UI shared by the vendor console and the city admin's billing page. */

export type BillingSummaryData = {
  billing: {
    status: BillingStatus;
    billingEmail: string;
    collectionMethod: keyof typeof COLLECTION_LABEL;
    daysUntilDue: number;
    currentPeriodStart: string | null;
    currentPeriodEnd: string | null;
    pastDueSince: string | null;
    graceUntil: string | null;
    standing: BillingStanding;
  } | null;
  plan: { name: string; amountYenPerMonth: number } | null;
};

const TONE: Record<BillingStanding["tone"], string> = {
  ok: "bg-green-50 text-green-900",
  pending: "bg-yellow-50 text-yellow-1000",
  alert: "bg-red-50 text-red-900",
  neutral: "bg-solid-gray-50 text-solid-gray-900",
};

/** The state with what is owed (see ../standing.ts): never 「支払済み」 beside an open invoice. */
export function BillingStatusBadge({ standing }: { standing: BillingStanding }) {
  return (
    <span
      data-billing-status={standing.status}
      className={`inline-block rounded-6 px-2 py-0.5 font-bold ${TONE[standing.tone]}`}
    >
      {standing.label}
    </span>
  );
}

export function BillingSummary({ billing, plan }: BillingSummaryData) {
  if (!billing) return <p className="mt-2">請求の設定はまだありません。</p>;
  const rows: [string, ReactNode][] = [
    ["請求状態", <BillingStatusBadge key="s" standing={billing.standing} />],
    ["プラン", plan ? `${plan.name}（月額 ${yen(plan.amountYenPerMonth)}・税別）` : "—"],
    [
      "支払方法",
      `${COLLECTION_LABEL[billing.collectionMethod]}${billing.collectionMethod === "send_invoice" ? `・請求書発行から${billing.daysUntilDue}日以内` : ""}`,
    ],
    ["請求書の送付先", billing.billingEmail],
    [
      "現在の契約期間",
      billing.currentPeriodStart ? `${dateJa(billing.currentPeriodStart)} 〜 ${dateJa(billing.currentPeriodEnd)}` : "—",
    ],
  ];
  if (billing.graceUntil) rows.push(["支払猶予の期限", dateJa(billing.graceUntil)]);
  return (
    <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-bold">{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function PastDueNotice({
  billing,
  audience,
}: {
  billing: BillingSummaryData["billing"];
  audience: "city" | "vendor";
}) {
  if (!billing || billing.standing.tone !== "alert") return null;
  return (
    <Notice variant="warning" className="mt-4" title="お支払いが確認できていない請求書があります">
      {audience === "city"
        ? `お手数ですが、請求書の内容をご確認のうえお支払いください。${billing.graceUntil ? `${dateJa(billing.graceUntil)}までにお支払いが確認できない場合、サービスの提供を停止することがあります（予約受付が集中している期間には停止しません）。` : ""}`
        : `猶予期限: ${dateJa(billing.graceUntil)}。期限後、予約受付が集中していないときに限り、利用を停止できます。`}
    </Notice>
  );
}

export type InvoiceRow = {
  id: string;
  number: string | null;
  status: string;
  amountDueYen: number;
  amountPaidYen: number;
  dueDate: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  paidAt: string | null;
  hostedInvoiceUrl: string | null;
};

export function InvoiceTable({ invoices }: { invoices: readonly InvoiceRow[] }) {
  return (
    <DataTable
      caption="請求書"
      captionHidden
      rows={invoices}
      rowKey={(i) => i.id}
      emptyMessage="請求書はまだありません。"
      columns={[
        { header: "請求書番号", cell: (i) => i.number ?? "（発行前）", rowHeader: true },
        {
          header: "対象期間",
          cell: (i) => (i.periodStart ? `${dateJa(i.periodStart)} 〜 ${dateJa(i.periodEnd)}` : "—"),
        },
        { header: "金額", cell: (i) => yen(i.amountDueYen), numeric: true },
        { header: "支払期限", cell: (i) => dateJa(i.dueDate) },
        {
          header: "状態",
          cell: (i) => (
            <span data-invoice-status={i.status}>
              {INVOICE_STATUS_LABEL[i.status] ?? i.status}
              {i.paidAt ? `（${dateJa(i.paidAt)}）` : ""}
            </span>
          ),
        },
      ]}
    />
  );
}

export type UsageRowView = {
  key: string;
  label: string;
  friends: number;
  lineMessages: number;
  reservations: number;
  broadcasts: number;
};

export function UsageTable({
  rows,
  caption,
  firstHeader,
}: {
  rows: readonly UsageRowView[];
  caption: string;
  firstHeader: string;
}) {
  const n = (v: number) => v.toLocaleString("ja-JP");
  return (
    <DataTable
      caption={caption}
      captionHidden
      rows={rows}
      rowKey={(r) => r.key}
      columns={[
        { header: firstHeader, cell: (r) => r.label, rowHeader: true },
        { header: "LINE友だち数", cell: (r) => n(r.friends), numeric: true },
        { header: "LINE送信数（受信者数）", cell: (r) => n(r.lineMessages), numeric: true },
        { header: "予約数", cell: (r) => n(r.reservations), numeric: true },
        { header: "一斉配信数", cell: (r) => n(r.broadcasts), numeric: true },
      ]}
    />
  );
}
