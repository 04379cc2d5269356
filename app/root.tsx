import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  data,
  isRouteErrorResponse,
  useRouteLoaderData,
} from "react-router";
import type { Route } from "./+types/root";
import { BusyPage, ErrorPage } from "~/components/ui/error-page";
import { adoptDevPeer } from "~/lib/client-address.server";
import { isDbUnavailableError } from "~/lib/db-unavailable";
import { dbUnavailableResourceAnswer } from "~/lib/db-unavailable.server";
import { isCrossSiteRequest } from "~/lib/csrf.server";
import { env } from "~/lib/env.server";
import { i18n, resolveLanguage } from "~/lib/i18n";
import { timeRequests } from "~/lib/metrics.server";
import { preferencesContext, providePreferences, withPreferenceCookies } from "~/lib/i18n/preferences.server";
import { useT } from "~/lib/i18n/react";
import "./app.css";
import { lazyLogger, logContext, requestLog } from "~/lib/log.server";

/**
 * One root middleware, not a chain: every page, data request and resource route passes here, and each
 * link of a chain costs promises and a matches walk of its own. Per request it only does what cannot
 * wait: the timer (metrics), the dev peer address, the cross-site refusal. The request's logger and
 * the resident's language and text size are made when first asked for (log.server's lazyLogger,
 * i18n's providePreferences), since most requests never ask (bench/results/before-after-2026-12-08.md).
 */
export const middleware: Route.MiddlewareFunction[] = [
  (args, next) =>
    timeRequests(args, async () => {
      const { request, context } = args;
      adoptDevPeer(request, context);
      context.set(
        logContext,
        lazyLogger(() => requestLog(request)),
      );
      if (isCrossSiteRequest(request, env().APP_ORIGIN)) {
        throw data(
          { message: "このリクエストは受け付けられません。ページを再読み込みしてからやり直してください。" },
          { status: 403 },
        );
      }
      // The resident's language and text size (ADR 039): read once, kept in cookies.
      const setCookies = providePreferences(request, context);
      let response: Response;
      try {
        response = await next();
      } catch (thrown) {
        // Resource routes have no boundary: the database away is their 503 too (ADR 029).
        const busy = dbUnavailableResourceAnswer(request, { thrown });
        if (busy) return busy;
        throw thrown;
      }
      return withPreferenceCookies(dbUnavailableResourceAnswer(request, { response }) ?? response, setCookies);
    }),
];

export function loader({ context }: Route.LoaderArgs) {
  const { lang, largeText } = context.get(preferencesContext);
  return { lang, largeText };
}

export const meta: Route.MetaFunction = () => [{ title: "窓口 Madoguchi" }];

export function Layout({ children }: { children: React.ReactNode }) {
  // Undefined when the root loader itself failed: then the page is Japanese at the normal size.
  const prefs = useRouteLoaderData<typeof loader>("root");
  const lang = resolveLanguage(prefs?.lang);
  return (
    <html lang={i18n.info(lang).htmlLang} data-text-size={prefs?.largeText ? "large" : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {/* Stylesheets come from our origin ('self'), so they need no nonce; an explicit "" keeps
            React Router from stamping the page's nonce on them, which the browser then hides and
            the client-side render reports as a hydration mismatch. Scripts keep theirs (ADR 024). */}
        <Links nonce="" />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/**
 * 404 and 500 pages, in the resident's language on resident pages (Japanese elsewhere). Nothing from
 * the error (stack, SQL, message) ever reaches the page; a message the app put in a 4xx is shown.
 */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { lang, ts } = useT();
  const home = ts("error.home");
  const code = ts("error.code");
  if (isDbUnavailableError(error)) return <BusyPage />;
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return (
        <ErrorPage
          status={404}
          title={ts("error.notFoundTitle")}
          message={ts("error.notFoundBody")}
          homeLabel={home}
          codeLabel={code}
        />
      );
    }
    // Messages that pages put in a 4xx are Japanese: other languages get the catalogue's general text.
    const message =
      lang === "ja" && typeof error.data?.message === "string" ? error.data.message : ts("error.cannotShowBody");
    return (
      <ErrorPage
        status={error.status}
        title={ts("error.cannotShowTitle")}
        message={message}
        homeLabel={home}
        codeLabel={code}
      />
    );
  }
  // In the browser, in development only: the one place a developer sees a client-side error.
  // eslint-disable-next-line no-console
  if (import.meta.env.DEV) console.error(error);
  return (
    <ErrorPage
      status={500}
      title={ts("error.serverTitle")}
      message={ts("error.serverBody")}
      homeLabel={home}
      codeLabel={code}
    />
  );
}
