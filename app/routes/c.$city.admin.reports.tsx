import { Form, Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.reports";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { getDb } from "#db/client.server";
import { STATE_LABELS, STATES, isState } from "~/features/reports/categories";
import { cityReportSettings } from "~/features/reports/reports.server";
import { listReports, readReportFilters } from "~/features/reports/triage.server";
import { formatTokyo } from "~/lib/japan-time";
import { staffContext, tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "通報 | 管理画面" }];

// Admins and operators triage; analysts read.
export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin", "operator", "analyst"]);
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const filters = readReportFilters(url.searchParams);
  const settings = await cityReportSettings(getDb(), tenant.id);
  return {
    rows: await listReports(getDb(), tenant.id, filters),
    filters,
    query: url.search,
    categories: settings.categories,
    areas: tenant.areas,
    isAdmin: context.get(staffContext).membership.role === "admin",
  };
}

const AGES = [
  { value: "", label: "すべて" },
  { value: "3", label: "3日より前" },
  { value: "7", label: "7日より前" },
  { value: "30", label: "30日より前" },
];

export default function ReportsPage({ loaderData, params }: Route.ComponentProps) {
  const base = `/c/${params.city}/admin/reports`;
  const { rows, filters } = loaderData;
  const exportQuery = loaderData.query ? `${loaderData.query}&` : "?";
  return (
    <>
      <PageHeader
        title="通報"
        description="LINE・ウェブ・Open311で届いた道路や公園などの不具合の通報です。状態を変えると、通報した住民とフォローしている住民にLINEでお知らせします。"
      />
      <p className="mb-6 flex flex-wrap gap-4">
        <a href={`${base}/export${exportQuery}encoding=utf-8`}>CSVで書き出す（UTF-8）</a>
        <a href={`${base}/export${exportQuery}encoding=shift_jis`}>CSVで書き出す（Shift_JIS）</a>
        {loaderData.isAdmin ? <Link to={`${base}/settings`}>通報の設定（区域・種類・Open311）</Link> : null}
      </p>
      <Form method="get" className="mb-6 flex flex-wrap items-end gap-4">
        <SelectField
          label="種類"
          name="category"
          defaultValue={filters.category ?? ""}
          options={[{ value: "", label: "すべて" }, ...loaderData.categories.map((c) => ({ value: c, label: c }))]}
        />
        <SelectField
          label="状態"
          name="state"
          defaultValue={filters.state ?? ""}
          options={[{ value: "", label: "すべて" }, ...STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))]}
        />
        <SelectField
          label="地区"
          name="area"
          defaultValue={filters.area ?? ""}
          options={[{ value: "", label: "すべて" }, ...loaderData.areas.map((a) => ({ value: a, label: a }))]}
        />
        <SelectField label="受付から" name="age" defaultValue={String(filters.olderThanDays ?? "")} options={AGES} />
        <Button type="submit" variant="secondary">
          絞り込む
        </Button>
      </Form>
      <DataTable
        caption="通報の一覧"
        captionHidden
        rows={rows}
        rowKey={(r) => r.id}
        emptyMessage="条件に合う通報はありません。"
        columns={[
          {
            header: "受付番号",
            rowHeader: true,
            cell: (r) => <Link to={`${base}/${r.id}`}>{r.number}</Link>,
          },
          { header: "受付日時", cell: (r) => formatTokyo(r.createdAt, "yyyy/MM/dd HH:mm") },
          { header: "種類", cell: (r) => r.category },
          { header: "状態", cell: (r) => (isState(r.state) ? STATE_LABELS[r.state] : r.state) },
          { header: "場所", cell: (r) => [r.area, r.landmark].filter(Boolean).join(" ") || "地図で指定" },
          { header: "写真", cell: (r) => `${r.photos}枚` },
          { header: "フォロー", cell: (r) => `${r.followers}人` },
        ]}
      />
    </>
  );
}
