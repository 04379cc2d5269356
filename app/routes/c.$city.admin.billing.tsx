import type { Route } from "./+types/c.$city.admin.billing";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { BillingSummary, InvoiceTable, PastDueNotice, UsageTable } from "~/features/billing/components/billing-parts";
import { cityBillingView } from "~/features/billing/overview.server";
import { monthLabel } from "~/features/billing/labels";
import { cityUsageHistory } from "~/features/billing/usage.server";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "ご契約と請求 | 窓口" }];

export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const db = getDb();
  const [view, usage] = await Promise.all([cityBillingView(db, tenant.id), cityUsageHistory(db, tenant.id, 12)]);
  return {
    billing: view?.billing ?? null,
    plan: view?.plan ?? null,
    invoices: view?.invoices ?? [],
    usage,
    slug: tenant.slug,
  };
}

export default function CityBillingPage({ loaderData }: Route.ComponentProps) {
  const { billing, plan, invoices, usage, slug } = loaderData;
  return (
    <>
      <PageHeader
        title="ご契約と請求"
        description="窓口のご契約内容、請求書、月ごとの利用状況です。請求書は送付先のメールアドレスにもお送りしています。"
      />
      <PastDueNotice billing={billing} audience="city" />
      <h2 className="mt-8 text-2xl font-bold">ご契約</h2>
      <BillingSummary billing={billing} plan={plan} />
      <h2 className="mt-8 text-2xl font-bold">請求書</h2>
      <InvoiceTable invoices={invoices} />
      <h2 className="mt-8 text-2xl font-bold">利用状況（直近12か月）</h2>
      <p className="mt-2">
        LINE送信数はメッセージを受け取った人数で数えます（LINEの課金単位）。友だち数は各月末時点（当月は現在）です。
      </p>
      <p className="mt-2 flex flex-wrap gap-6">
        <a className="underline" href={`/c/${slug}/admin/billing/export`} download>
          利用状況をCSVでダウンロード（Excel用 UTF-8）
        </a>
        <a className="underline" href={`/c/${slug}/admin/billing/export?encoding=shift_jis`} download>
          Shift_JIS
        </a>
      </p>
      <UsageTable
        caption="月別の利用状況"
        firstHeader="対象月"
        rows={usage.map((u) => ({ key: u.month, label: monthLabel(u.month), ...u }))}
      />
    </>
  );
}
