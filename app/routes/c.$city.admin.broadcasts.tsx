import { Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.broadcasts";
import { requireRole } from "~/auth/guards.server";
import { ButtonLink } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { PageHeader } from "~/components/ui/page-header";
import { Pager } from "~/components/ui/pager";
import { getDb } from "#db/client.server";
import { listBroadcasts } from "~/features/broadcasts/broadcasts.server";
import { RunProgress } from "~/features/broadcasts/components/progress";
import { describeRule } from "~/features/broadcasts/recurrence";
import { KIND_LABEL, STATUS_LABEL } from "~/features/broadcasts/view";
import { usePollWhile } from "~/lib/use-poll-while";
import { formatDateTimeJa } from "~/lib/japan-time";
import { pageInfo, readPage } from "~/lib/paging";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "配信 | 管理画面" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const page = await listBroadcasts(getDb(), tenant.id, readPage(new URL(request.url)));
  return { items: page.items, paging: pageInfo(page), slug: tenant.slug };
}

export default function BroadcastsPage({ loaderData }: Route.ComponentProps) {
  const { items, paging, slug } = loaderData;
  const base = `/c/${slug}/admin/broadcasts`;
  usePollWhile(
    items.some((b) => b.status === "sending" || b.lastRun?.status === "pending" || b.lastRun?.status === "sending"),
  );
  return (
    <>
      <PageHeader
        title="配信"
        description="LINEの友だちへのお知らせの配信です。配信中のものは進み具合がこの画面で更新されます。"
        actions={<ButtonLink to={`${base}/new`}>新しい配信</ButtonLink>}
      />
      <DataTable
        caption="配信の一覧（新しい順）"
        rows={items}
        rowKey={(b) => b.id}
        emptyMessage="まだ配信はありません。「新しい配信」から作成できます。"
        columns={[
          { header: "件名", rowHeader: true, cell: (b) => <Link to={`${base}/${b.id}`}>{b.title}</Link> },
          { header: "種類", cell: (b) => KIND_LABEL[b.messageKind] },
          { header: "状態", cell: (b) => STATUS_LABEL[b.status] },
          {
            header: "配信日時",
            cell: (b) =>
              b.recurrence
                ? `${describeRule(b.recurrence)}${b.nextRunAt ? `（次回 ${formatDateTimeJa(b.nextRunAt)}）` : ""}`
                : b.sendAt
                  ? formatDateTimeJa(b.sendAt)
                  : "—",
          },
          {
            header: "進み具合（最新の配信）",
            cell: (b) => (b.lastRun ? <RunProgress run={b.lastRun} label={`${b.title}の進み具合`} /> : "—"),
          },
        ]}
      />
      <Pager {...paging} shown={items.length} label="配信の一覧のページ" />
    </>
  );
}
