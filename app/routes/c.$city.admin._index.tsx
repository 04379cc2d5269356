import type { Route } from "./+types/c.$city.admin._index";
import { roleLabel } from "~/components/layouts/role-label";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { staffContext, tenantContext } from "~/tenants/context";

export function loader({ context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const staff = context.get(staffContext);
  return { city: { name: tenant.name, status: tenant.status, prefecture: tenant.prefecture, areas: tenant.areas }, role: staff.membership.role, name: staff.user.displayName };
}

export default function AdminHome({ loaderData }: Route.ComponentProps) {
  const { city, role, name } = loaderData;
  return (
    <>
      <PageHeader title={`${city.name} 管理画面`} description={`${name}さん（${roleLabel(role)}）としてログインしています。`} />
      {city.status === "suspended" ? <Notice variant="warning">この自治体の住民向けページは現在停止中です。データの閲覧と出力は引き続き行えます。</Notice> : null}
      {city.status === "onboarding" ? <Notice variant="info">住民向けページは準備中です。運営事業者が利用開始の設定をすると公開されます。</Notice> : null}
      <dl className="mt-6 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
        <dt className="font-bold">都道府県</dt>
        <dd>{city.prefecture}</dd>
        <dt className="font-bold">地区</dt>
        <dd>{city.areas.length ? city.areas.join("、") : "未登録"}</dd>
      </dl>
    </>
  );
}
