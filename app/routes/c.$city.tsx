import { Outlet, isRouteErrorResponse } from "react-router";
import type { Route } from "./+types/c.$city";
import { BusyPage, ErrorPage } from "~/components/ui/error-page";
import { getDb } from "#db/client.server";
import { disasterHazard } from "~/features/shelters/disaster-mode.server";
import { readCityContact } from "~/lib/city-contact";
import { isDbUnavailableError } from "~/lib/db-unavailable";
import { REFERENCE_LANGUAGE } from "~/lib/i18n";
import { messageKey } from "~/lib/i18n/messages";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";
import { resolveTenant } from "~/tenants/tenant-middleware.server";

export const middleware: Route.MiddlewareFunction[] = [resolveTenant];

export async function loader({ context }: Route.LoaderArgs) {
  const t = context.get(tenantContext);
  // The 問い合わせ窓口 for every page below (read by useCityContact), resident and admin alike, and
  // the disaster mode's hazard for the residents' banner (issue 18.4).
  return {
    city: { slug: t.slug, name: t.name },
    contact: readCityContact(t.contact),
    disaster: await disasterHazard(getDb(), t.id),
  };
}

export default function CityLayout() {
  return <Outlet />;
}

/**
 * A suspended or not-yet-open city shows a notice (with its name), not a bare error; in the
 * resident's language. A 404 or 403 message from a page is Japanese, so other languages show the
 * catalogue's general text instead (staff pages are always Japanese).
 */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { lang, ts, tms } = useT();
  if (isDbUnavailableError(error)) return <BusyPage />;
  if (!isRouteErrorResponse(error)) throw error;
  // A page's message from the catalogue (ADR 043) is shown in the resident's language; other page
  // messages only in Japanese.
  const fromPage = (fallbackKey: string) => {
    const message: unknown = error.data?.message;
    if (typeof message !== "string") return ts(fallbackKey);
    return lang === REFERENCE_LANGUAGE || messageKey(message) ? tms(message) : ts(fallbackKey);
  };
  const labels = { homeLabel: ts("error.home"), codeLabel: ts("error.code") };
  if (error.status === 503) {
    const city = String(error.data?.cityName ?? "");
    const kind = error.data?.kind === "onboarding" ? "cityOnboarding" : "citySuspended";
    return (
      <ErrorPage status={503} title={ts("city.title", { city })} message={ts(`error.${kind}`, { city })} {...labels} />
    );
  }
  if (error.status === 404)
    return (
      <ErrorPage status={404} title={ts("error.notFoundTitle")} message={fromPage("error.notFoundBody")} {...labels} />
    );
  if (error.status === 403)
    return (
      <ErrorPage
        status={403}
        title={ts("error.forbiddenTitle")}
        message={fromPage("error.forbiddenBody")}
        {...labels}
      />
    );
  // Any other client error (a body that is not a form, too large, a method the page does not take:
  // ADR 028) keeps the city's resident style; only its own (Japanese) message is shown in Japanese.
  if (error.status >= 400 && error.status < 500) {
    const sent = error.status === 400 || error.status === 413 || error.status === 415;
    return (
      <ErrorPage
        status={error.status}
        title={sent && lang === REFERENCE_LANGUAGE ? "送信内容を受け付けられません" : ts("error.cannotShowTitle")}
        message={fromPage("error.cannotShowBody")}
        {...labels}
      />
    );
  }
  throw error;
}
