import { Link } from "react-router";
import type { Route } from "./+types/vendor.billing";
import { DataTable } from "~/components/ui/data-table";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { BillingStatusBadge } from "~/features/billing/components/billing-parts";
import { INVOICE_STATUS_LABEL, dateJa, yen } from "~/features/billing/labels";
import { vendorBillingOverview } from "~/features/billing/overview.server";
import { STATUS_LABEL } from "~/features/tenants/tenant-status";

export const meta: Route.MetaFunction = () => [{ title: "請求の状況 | 窓口 ベンダーコンソール" }];

export async function loader() {
  return { rows: await vendorBillingOverview(getDb()) };
}

export default function VendorBilling({ loaderData }: Route.ComponentProps) {
  const { rows } = loaderData;
  const troubled = rows.filter((r) => r.status === "past_due" || r.status === "unpaid").length;
  return (
    <>
      <PageHeader title="請求の状況" description={`${rows.length}自治体・支払いが滞っている自治体 ${troubled}`} />
      <p className="mt-2">
        <Link className="underline" to="/vendor/usage">
          利用状況（月別）
        </Link>
      </p>
      <DataTable
        className="mt-6"
        caption="自治体ごとの請求の状況"
        rows={rows}
        rowKey={(r) => r.tenantId}
        columns={[
          {
            header: "自治体",
            rowHeader: true,
            cell: (r) => (
              <Link className="underline" to={`/vendor/cities/${r.tenantId}/billing`}>
                {r.name}
              </Link>
            ),
          },
          { header: "プラン", cell: (r) => r.planName ?? "—" },
          { header: "請求状態", cell: (r) => <BillingStatusBadge standing={r.standing} /> },
          {
            header: "最新の請求書",
            cell: (r) =>
              r.invoiceNumber
                ? `${r.invoiceNumber}（${INVOICE_STATUS_LABEL[r.invoiceStatus ?? ""] ?? r.invoiceStatus}）`
                : "—",
          },
          { header: "金額", numeric: true, cell: (r) => yen(r.invoiceAmountYen) },
          { header: "支払期限", cell: (r) => dateJa(r.invoiceDueDate) },
          {
            header: "猶予期限",
            cell: (r) => (r.graceUntil ? `${dateJa(r.graceUntil)}${r.graceOver ? "（経過）" : ""}` : "—"),
          },
          {
            header: "利用状態",
            cell: (r) => STATUS_LABEL[r.tenantStatus as keyof typeof STATUS_LABEL] ?? r.tenantStatus,
          },
        ]}
      />
    </>
  );
}
