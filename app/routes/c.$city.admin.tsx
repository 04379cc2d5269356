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
    ...(staff.role === "admin" ? [{ to: `${base}/staff`, label: "職員の管理" }] : []),
    { to: `${base}/account`, label: "アカウント" },
  ];
  return (
    <AdminLayout cityName={city.name} citySlug={city.slug} staffName={staff.name} role={staff.role} nav={nav}>
      <Outlet />
    </AdminLayout>
  );
}
