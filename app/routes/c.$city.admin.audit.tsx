import type { Route } from "./+types/c.$city.admin.audit";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { PageHeader } from "~/components/ui/page-header";
import { cityAuditPage } from "~/features/audit/audit-log.server";
import { AuditView } from "~/features/audit/components/audit-view";
import { pageInfo } from "~/lib/paging";
import { tenantContext } from "~/tenants/context";

export const meta = () => [{ title: "操作記録" }];

/** The city's audit log (admins): who did, saw or exported what, newest first. */
export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const { filters, page, choices } = await cityAuditPage(getDb(), tenant.id, url);
  return {
    filters,
    rows: page.items,
    page: pageInfo(page),
    choices,
    exportHref: `/c/${tenant.slug}/admin/audit/export${url.search}`,
    ledgerHref: `/c/${tenant.slug}/admin/ledger/export`,
  };
}

export default function CityAudit({ loaderData }: Route.ComponentProps) {
  const d = loaderData;
  return (
    <>
      <PageHeader
        title="操作記録"
        description="職員の操作と、住民の個人情報を誰が閲覧・出力したかの記録です。記録は消せません。"
      />
      <AuditView
        filters={d.filters}
        rows={d.rows}
        page={d.page}
        staff={d.choices.staff}
        actions={d.choices.actions}
        exportHref={d.exportHref}
      />
      <section aria-labelledby="ledger" className="mt-12">
        <h2 id="ledger" className="text-2xl font-bold">
          予約台帳
        </h2>
        <p className="mt-2">
          予約日が期間内の予約を、氏名・電話番号つきでCSVに保存します。保存したことは操作記録に残ります。
        </p>
        <form method="get" action={d.ledgerHref} className="mt-4 flex flex-wrap items-end gap-4">
          <label className="flex flex-col gap-1">
            台帳の開始日
            <input type="date" name="from" required className="rounded-8 border border-solid-gray-600 px-3 py-2" />
          </label>
          <label className="flex flex-col gap-1">
            台帳の終了日
            <input type="date" name="to" required className="rounded-8 border border-solid-gray-600 px-3 py-2" />
          </label>
          <button type="submit" className="rounded-8 border border-blue-900 px-4 py-2 text-blue-900">
            予約台帳をCSVで保存
          </button>
        </form>
      </section>
    </>
  );
}
