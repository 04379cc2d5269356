import { useLocation } from "react-router";
import { useT } from "~/lib/i18n/react";

/**
 * The 404 / 500 page, rendered by app/root.tsx's ErrorBoundary straight inside <body>: no layout
 * wraps it (the layout's own loader may be what failed), so it brings its own landmark. Only the
 * texts passed in are shown; nothing from the error itself ever reaches the page. The link is a
 * plain <a> so leaving the error is a full page load that carries no broken client state along.
 */
export function ErrorPage({
  status,
  title,
  message,
  homeLabel = "トップページへ",
  codeLabel = "エラーコード",
  link,
}: {
  status: number;
  title: string;
  message: string;
  homeLabel?: string;
  codeLabel?: string;
  /** Where the one button leads (default: the top page, labelled homeLabel). */
  link?: { href: string; label: string };
}) {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center gap-6 px-5 py-12 text-[1.0625rem]"
    >
      <p className="font-bold text-solid-gray-700">
        <span className="text-[1.125em]">窓口</span>
        <span className="ml-2 text-[0.875em] font-normal">Madoguchi</span>
      </p>
      <p className="text-[3em] font-bold leading-none tabular-nums text-blue-900" aria-hidden="true">
        {status}
      </p>
      <h1 className="text-[1.75em] leading-[1.4]">
        {title}
        <span className="sr-only">
          （{codeLabel} {status}）
        </span>
      </h1>
      <p>{message}</p>
      <p>
        <a
          href={link?.href ?? "/"}
          className="inline-flex min-h-12 items-center rounded-8 border border-current bg-white px-5 py-2 font-bold text-blue-900 hover:bg-blue-200 hover:underline"
        >
          {link?.label ?? homeLabel}
        </a>
      </p>
    </main>
  );
}

/**
 * 「ただいま混み合っています」(503) while the database is away (ADR 029). Nothing the resident typed is
 * lost: the browser's 戻る returns to the filled-in form, and the booking flow's progress is in its
 * cookie. The button reloads this address (after a form submit: the form's page).
 */
export function BusyPage() {
  const { pathname, search } = useLocation();
  const { lang, ts } = useT();
  // Japanese runs the two sentences together; other languages need a space.
  const gap = lang.startsWith("ja") ? "" : " ";
  return (
    <ErrorPage
      status={503}
      title={ts("booking:busy.title")}
      message={`${ts("booking:busy.message")}${gap}${ts("booking:busy.back")}`}
      link={{ href: `${pathname}${search}`, label: ts("booking:busy.reload") }}
      homeLabel={ts("error.home")}
      codeLabel={ts("error.code")}
    />
  );
}
