import { Outlet } from "react-router";
import type { Route } from "./+types/vendor";
import { requireVendor } from "~/auth/guards.server";
import { VendorLayout } from "~/components/layouts/vendor-layout";
import { vendorContext } from "~/tenants/context";

export const middleware: Route.MiddlewareFunction[] = [requireVendor];

export function loader({ context }: Route.LoaderArgs) {
  return { staffName: context.get(vendorContext).user.displayName };
}

export default function VendorShell({ loaderData }: Route.ComponentProps) {
  return (
    <VendorLayout staffName={loaderData.staffName}>
      <Outlet />
    </VendorLayout>
  );
}
