import { redirect } from "react-router";
import type { Route } from "./+types/vendor.logout";
import { logout } from "~/auth/logout.server";

export async function action({ request }: Route.ActionArgs) {
  return redirect("/vendor/login", { headers: { "Set-Cookie": await logout(request, "vendor") } });
}

export function loader() {
  return redirect("/vendor");
}
