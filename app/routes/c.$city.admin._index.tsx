import type { Route } from "./+types/c.$city.admin._index";
import { roleLabel } from "~/components/layouts/role-label";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { staffContext, tenantContext } from "~/tenants/context";
import { getDb } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { clientAddress } from "~/lib/client-address.server";
import { friendDashboard, recentSnapshots, snapshotNow } from "~/features/friend-stats/friend-stats.server";
import { FriendDashboardSection } from "~/features/friend-stats/friend-dashboard";
import { AGE_OPTIONS, GENDER_OPTIONS } from "~/features/line/survey-messages";

export async function loader({ context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const staff = context.get(staffContext);
  // Aggregates only (no resident is identifiable), so every role, analysts included, sees them.
  const snapshots = await withTenant(getDb(), tenant.id, (tx) => recentSnapshots(tx, tenant.id, 14));
  const friends = friendDashboard(snapshots, { ageBands: AGE_OPTIONS, genders: GENDER_OPTIONS, areas: tenant.areas });
  return {
    city: { name: tenant.name, status: tenant.status, prefecture: tenant.prefecture, areas: tenant.areas },
    role: staff.membership.role,
    name: staff.user.displayName,
    friends,
  };
}

export async function action({ context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const staff = context.get(staffContext);
  const s = await snapshotNow(getDb(), { tenantId: tenant.id, staffUserId: staff.user.id, ip: clientAddress(context) });
  return { message: `${s.day} の友だち数を集計しました（友だち ${s.following.toLocaleString("ja-JP")}人）。` };
}

export default function AdminHome({ loaderData, actionData }: Route.ComponentProps) {
  const { city, role, name, friends } = loaderData;
  return (
    <>
      <PageHeader
        title={`${city.name} 管理画面`}
        description={`${name}さん（${roleLabel(role)}）としてログインしています。`}
      />
      {city.status === "suspended" ? (
        <Notice variant="warning">
          この自治体の住民向けページは現在停止中です。データの閲覧と出力は引き続き行えます。
        </Notice>
      ) : null}
      {city.status === "onboarding" ? (
        <Notice variant="info">住民向けページは準備中です。運営事業者が利用開始の設定をすると公開されます。</Notice>
      ) : null}
      <dl className="mt-6 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
        <dt className="font-bold">都道府県</dt>
        <dd>{city.prefecture}</dd>
        <dt className="font-bold">地区</dt>
        <dd>{city.areas.length ? city.areas.join("、") : "未登録"}</dd>
      </dl>
      <FriendDashboardSection data={friends} message={actionData?.message} />
    </>
  );
}
