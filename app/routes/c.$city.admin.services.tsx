import { Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.services";
import { requireRole } from "~/auth/guards.server";
import { ButtonLink } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { ruleLabel } from "~/features/reminders/rules";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { listServices } from "~/features/services/services.server";
import { formatDateTimeJa } from "~/lib/dates";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "サービス | 管理画面" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const saved = new URL(request.url).searchParams.get("saved");
  return { services: await listServices(getDb(), tenant.id), saved };
}

export default function ServicesPage({ loaderData, params }: Route.ComponentProps) {
  const base = `/c/${params.city}/admin/services`;
  return (
    <>
      <PageHeader title="サービス" description="住民が予約する事業（ワクチン接種、健診など）と、その受付ルールです。" actions={<ButtonLink to={`${base}/new`}>サービスを追加</ButtonLink>} />
      {loaderData.saved ? <Notice variant="success" className="mb-6">「{loaderData.saved}」を保存しました。</Notice> : null}
      <DataTable
        caption="サービス一覧"
        captionHidden
        rows={loaderData.services}
        rowKey={(s) => s.id}
        emptyMessage="まだサービスがありません。「サービスを追加」から登録してください。"
        columns={[
          { header: "サービス名", rowHeader: true, cell: (s) => <Link to={`${base}/${s.id}`}>{s.name}</Link> },
          { header: "回数・間隔", cell: (s) => (s.doses > 1 ? `${s.doses}回（${s.minIntervalDays}日以上あける）` : "1回") },
          {
            header: "受付開始",
            cell: (s) =>
              s.phases.length === 0 ? "段階なし" : (
                <ul>
                  {s.phases.map((p) => (
                    <li key={`${p.minAge}-${p.opensAt}`}>
                      {p.minAge}歳以上: {formatDateTimeJa(p.opensAt)}〜
                    </li>
                  ))}
                </ul>
              ),
          },
          { header: "予約受付", cell: (s) => `${s.bookingWindowDays}日先まで・変更は${s.changeCutoffHours}時間前まで` },
          { header: "リマインダー", cell: (s) => (s.reminders.length ? s.reminders.map(ruleLabel).join("・") : "送らない") },
          { header: "状態", cell: (s) => (s.active ? "受付中" : "停止中") },
        ]}
      />
    </>
  );
}
