import { Outlet, isRouteErrorResponse } from "react-router";
import type { Route } from "./+types/c.$city";
import { ErrorPage } from "~/components/ui/error-page";
import { tenantContext } from "~/tenants/context";
import { resolveTenant } from "~/tenants/tenant-middleware.server";

export const middleware: Route.MiddlewareFunction[] = [resolveTenant];

export function loader({ context }: Route.LoaderArgs) {
  const t = context.get(tenantContext);
  return { city: { slug: t.slug, name: t.name } };
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
  // Any other client error (a body that is not a form, too large, a method the page does not take:
  // ADR 028) keeps the city's resident style; only its own Japanese message is shown.
  if (isRouteErrorResponse(error) && error.status >= 400 && error.status < 500) {
    const message = typeof error.data?.message === "string" ? error.data.message : "このページを表示できません。";
    const sent = error.status === 400 || error.status === 413 || error.status === 415;
    return (
      <ErrorPage
        status={error.status}
        title={sent ? "送信内容を受け付けられません" : "ページを表示できません"}
        message={message}
      />
    );
  }
  throw error;
}
