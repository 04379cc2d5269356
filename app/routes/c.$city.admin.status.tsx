import type { Route } from "./+types/c.$city.admin.status";
import { Link } from "react-router";
import { requireRole } from "~/auth/guards.server";
import { ButtonLink } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { listLookups } from "~/features/status-lookup/admin.server";
import { lookupPhase } from "~/features/status-lookup/keys";
import { formatDateJa, tokyoDateOf } from "~/lib/japan-time";
import { staffContext, tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "申請状況の照会 | 管理画面" }];

const PHASE = { before: "受付前", open: "受付中", closed: "終了" } as const;

// Admins create and import; analysts read the same counts (never a row).
export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin", "analyst"]);
  const now = new Date();
  const lookups = await listLookups(getDb(), context.get(tenantContext).id, now);
  return {
    canEdit: context.get(staffContext).membership.role === "admin",
    today: tokyoDateOf(now),
    lookups: lookups.map((l) => ({
      id: l.id,
      title: l.title,
      opensOn: l.opensOn,
      closesOn: l.closesOn,
      purgedAt: l.purgedAt,
      counts: l.counts,
      checks: l.days.reduce((n, d) => n + d.found + d.notFound, 0),
    })),
  };
}

export default function StatusLookupsPage({ loaderData, params }: Route.ComponentProps) {
  const base = `/c/${params.city}/admin/status`;
  return (
    <>
      <PageHeader
        title="申請状況の照会"
        description="給付金などの申請の状況を、住民がLINEとウェブで申請番号と生年月日から確認できます。状況はCSVで取り込みます。"
        actions={loaderData.canEdit ? <ButtonLink to={`${base}/new`}>照会を作成</ButtonLink> : null}
      />
      <DataTable
        caption="照会の一覧"
        captionHidden
        rows={loaderData.lookups}
        rowKey={(l) => l.id}
        emptyMessage="まだ照会がありません。「照会を作成」から始めてください。"
        columns={[
          { header: "名称", rowHeader: true, cell: (l) => <Link to={`${base}/${l.id}`}>{l.title}</Link> },
          {
            header: "受付期間",
            cell: (l) =>
              `${formatDateJa(l.opensOn)}〜${formatDateJa(l.closesOn)}（${l.purgedAt ? "削除済み" : PHASE[lookupPhase(l, loaderData.today)]}）`,
          },
          {
            header: "状況ごとの件数",
            cell: (l) => l.counts.map((c) => `${c.label} ${c.rows.toLocaleString("ja-JP")}件`).join("・"),
          },
          { header: "確認（直近14日）", cell: (l) => `${l.checks.toLocaleString("ja-JP")}回` },
        ]}
      />
    </>
  );
}
