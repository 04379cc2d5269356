import { Outlet, isRouteErrorResponse } from "react-router";
import type { Route } from "./+types/c.$city";
import { ErrorPage } from "~/components/ui/error-page";
import { readCityContact } from "~/lib/city-contact";
import { tenantContext } from "~/tenants/context";
import { resolveTenant } from "~/tenants/tenant-middleware.server";

export const middleware: Route.MiddlewareFunction[] = [resolveTenant];

export function loader({ context }: Route.LoaderArgs) {
  const t = context.get(tenantContext);
  // The 問い合わせ窓口 for every page below (read by useCityContact), resident and admin alike.
  return { city: { slug: t.slug, name: t.name }, contact: readCityContact(t.contact) };
}

export default function CityLayout() {
  return <Outlet />;
}

/** A suspended or not-yet-open city shows a notice (with its name), not a bare error. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  if (isRouteErrorResponse(error) && error.status === 503) {
    return (
      <ErrorPage
        status={503}
        title={`${error.data?.cityName ?? ""} オンライン窓口`}
        message={String(error.data?.message ?? "")}
      />
    );
  }
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <ErrorPage
        status={404}
        title="ページが見つかりません"
        message={String(error.data?.message ?? "お探しのページは見つかりませんでした。")}
      />
    );
  }
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <ErrorPage
        status={403}
        title="アクセスできません"
        message={String(error.data?.message ?? "このページを表示する権限がありません。")}
      />
    );
  }
  throw error;
}
