import { redirect } from "react-router";
import type { Route } from "./+types/c.$city.admin.logout";
import { logout } from "~/auth/logout.server";
import { tenantContext } from "~/tenants/context";

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const cookie = await logout(request, "staff");
  return redirect(`/c/${tenant.slug}/admin/login`, { headers: { "Set-Cookie": cookie } });
}

export function loader({ context }: Route.LoaderArgs) {
  return redirect(`/c/${context.get(tenantContext).slug}/admin`);
}
