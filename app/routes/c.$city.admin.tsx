import { Outlet } from "react-router";
import type { Route } from "./+types/c.$city.admin";
import { requireStaff } from "~/auth/guards.server";
import { AdminLayout } from "~/components/layouts/admin-layout";
import { staffContext, tenantContext } from "~/tenants/context";

export const middleware: Route.MiddlewareFunction[] = [requireStaff];

export function loader({ context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const staff = context.get(staffContext);
  return {
    city: { slug: tenant.slug, name: tenant.name, status: tenant.status },
    staff: { name: staff.user.displayName, role: staff.membership.role },
  };
}

export default function AdminShell({ loaderData }: Route.ComponentProps) {
  const { city, staff } = loaderData;
  const base = `/c/${city.slug}/admin`;
  const nav = [
    { to: base, label: "ホーム" },
    // Operators see the slots (they book callers into them); services and venues are admin settings.
    ...(staff.role === "admin"
      ? [
          { to: `${base}/services`, label: "サービス" },
          { to: `${base}/venues`, label: "会場" },
          { to: `${base}/contact`, label: "問い合わせ窓口" },
        ]
      : []),
    ...(staff.role === "admin" || staff.role === "operator" ? [{ to: `${base}/slots`, label: "予約枠" }] : []),
    // Personal data of residents: operators and admins, not analysts.
    ...(staff.role === "admin" || staff.role === "operator"
      ? [
          { to: `${base}/phone`, label: "電話予約" },
          { to: `${base}/venue-day`, label: "当日の予約一覧" },
          { to: `${base}/reminders`, label: "リマインダー電話" },
        ]
      : []),
    ...(staff.role === "admin" ? [{ to: `${base}/roster`, label: "接種券名簿" }] : []),
    ...(staff.role === "admin" ? [{ to: `${base}/staff`, label: "職員の管理" }] : []),
    ...(staff.role === "admin"
      ? [
          { to: `${base}/line`, label: "LINE設定" },
          { to: `${base}/broadcasts`, label: "配信" },
        ]
      : []),
    ...(staff.role === "admin" || staff.role === "operator" ? [{ to: `${base}/shelters`, label: "避難所・災害" }] : []),
    ...(staff.role === "admin" || staff.role === "analyst" ? [{ to: `${base}/garbage`, label: "ごみの日" }] : []),
    ...(staff.role === "admin" || staff.role === "analyst" ? [{ to: `${base}/faq`, label: "よくある質問" }] : []),
    { to: `${base}/reports`, label: "通報" },
    ...(staff.role === "admin" || staff.role === "analyst" ? [{ to: `${base}/status`, label: "申請状況の照会" }] : []),
    ...(staff.role === "admin" ? [{ to: `${base}/billing`, label: "ご契約と請求" }] : []),
    ...(staff.role === "admin" || staff.role === "analyst" ? [{ to: `${base}/insights`, label: "分析" }] : []),
    ...(staff.role === "admin" ? [{ to: `${base}/audit`, label: "操作記録" }] : []),
    { to: `${base}/account`, label: "アカウント" },
  ];
  return (
    <AdminLayout cityName={city.name} citySlug={city.slug} staffName={staff.name} role={staff.role} nav={nav}>
      <Outlet />
    </AdminLayout>
  );
}
