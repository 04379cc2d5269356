import { Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.venues";
import { requireRole } from "~/auth/guards.server";
import { ButtonLink } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { listVenues } from "~/features/venues/venues.server";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "会場 | 管理画面" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const saved = new URL(request.url).searchParams.get("saved");
  return { venues: await listVenues(getDb(), context.get(tenantContext).id), saved };
}

export default function VenuesPage({ loaderData, params }: Route.ComponentProps) {
  const base = `/c/${params.city}/admin/venues`;
  return (
    <>
      <PageHeader
        title="会場"
        description="接種や健診を行う会場です。予約枠は会場ごとに作ります。"
        actions={<ButtonLink to={`${base}/new`}>会場を追加</ButtonLink>}
      />
      {loaderData.saved ? (
        <Notice variant="success" className="mb-6">
          「{loaderData.saved}」を保存しました。
        </Notice>
      ) : null}
      <DataTable
        caption="会場一覧"
        captionHidden
        rows={loaderData.venues}
        rowKey={(v) => v.id}
        emptyMessage="まだ会場がありません。「会場を追加」から登録してください。"
        columns={[
          { header: "会場名", rowHeader: true, cell: (v) => <Link to={`${base}/${v.id}`}>{v.name}</Link> },
          { header: "住所", cell: (v) => v.address },
          { header: "地図", cell: (v) => (v.lat !== null && v.lng !== null ? "登録済み" : "未登録") },
          { header: "状態", cell: (v) => (v.active ? "利用中" : "停止中") },
          { header: "会場ID（CSV用）", cell: (v) => <span className="font-mono text-[0.875em]">{v.id}</span> },
        ]}
      />
    </>
  );
}
