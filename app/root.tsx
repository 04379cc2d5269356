import { Links, Meta, Outlet, Scripts, ScrollRestoration, data, isRouteErrorResponse } from "react-router";
import type { Route } from "./+types/root";
import { ErrorPage } from "~/components/ui/error-page";
import { adoptDevPeer } from "~/lib/client-address.server";
import { isCrossSiteRequest } from "~/lib/csrf.server";
import { env } from "~/lib/env.server";
import "./app.css";

export const middleware: Route.MiddlewareFunction[] = [
  async ({ request, context }, next) => {
    adoptDevPeer(request, context);
    if (isCrossSiteRequest(request, env().APP_ORIGIN)) {
      throw data(
        { message: "このリクエストは受け付けられません。ページを再読み込みしてからやり直してください。" },
        { status: 403 },
      );
    }
    return next();
  },
];

export const meta: Route.MetaFunction = () => [{ title: "窓口 Madoguchi" }];

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="ja">
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

/** 404 and 500 pages. Nothing from the error (stack, SQL, message) ever reaches the page. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return (
        <ErrorPage
          status={404}
          title="ページが見つかりません"
          message="お探しのページは移動または削除されたか、URLが間違っている可能性があります。"
        />
      );
    }
    const message = typeof error.data?.message === "string" ? error.data.message : "このページを表示できません。";
    return <ErrorPage status={error.status} title="ページを表示できません" message={message} />;
  }
  if (import.meta.env.DEV) console.error(error);
  return (
    <ErrorPage
      status={500}
      title="エラーが発生しました"
      message="申し訳ありません。システムで問題が発生しました。しばらくしてからもう一度お試しください。"
    />
  );
}
