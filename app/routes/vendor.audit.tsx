import type { Route } from "./+types/vendor.audit";
import { getDb } from "#db/client.server";
import { PageHeader } from "~/components/ui/page-header";
import { vendorAuditPage } from "~/features/audit/audit-log.server";
import { AuditView } from "~/features/audit/components/audit-view";
import { pageInfo } from "~/lib/paging";

export const meta = () => [{ title: "運営の操作記録" }];

/** The vendor staff's own audit log (logins, cities created or suspended, exports…). */
export async function loader({ request }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const { filters, page, choices } = await vendorAuditPage(getDb(), url);
  return { filters, rows: page.items, page: pageInfo(page), choices, exportHref: `/vendor/audit/export${url.search}` };
}

export default function VendorAudit({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="運営の操作記録"
        description="運営スタッフの操作の記録です。CSVに保存したことも記録されます。"
      />
      <AuditView
        filters={d.filters}
        rows={d.rows}
        page={d.page}
        staff={d.choices.staff}
        actions={d.choices.actions}
        cities={d.choices.cities}
        exportHref={d.exportHref}
      />
    </>
  );
}
