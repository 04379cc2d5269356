import type { ErrorRequestHandler, RequestHandler } from "express";
import { logRequestError } from "~/lib/request-log.server";

/**
 * Client errors that are settled before React Router (ADR 028), with a small Japanese page.
 *
 * rejectBadPaths: a path whose percent-encoding does not decode (`/%ZZ`, a cut UTF-8 sequence), or
 * that decodes to a control character (`%00`: PostgreSQL refuses NUL in text, so a slug or an id
 * carrying one could only end as a 500 further down), or a query string carrying `%00`, is a 400
 * here. React Router would otherwise throw "Failed to decode param" from its matcher, a 500.
 *
 * clientErrorHandler: an error with a 4xx status raised by express or a middleware (a body that
 * cannot be decoded, a parameter that cannot be decoded) answers that status, logged in one line.
 * Everything else goes on to the next error handler (a 500).
 */
const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export function isBadPath(url: string): boolean {
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  if (q !== -1 && (/%00/.test(url.slice(q)) || url.includes("\0"))) return true;
  try {
    return hasControl(decodeURIComponent(path));
  } catch {
    return true;
  }
}

export const rejectBadPaths: RequestHandler = (req, res, next) => {
  if (!isBadPath(req.originalUrl)) return next();
  logRequestError(clientError(400), { method: req.method, url: "/:undecodable" });
  sendClientError(res, 400);
};

export const clientErrorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  const status = statusOf(err);
  if (status === null || res.headersSent) return next(err);
  const url = isBadPath(req.originalUrl) ? "/:undecodable" : req.path;
  logRequestError(clientError(status), { method: req.method, url });
  sendClientError(res, status);
};

function statusOf(err: unknown): number | null {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const status = Number(e?.status ?? e?.statusCode);
  return Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}

// Shaped like a route error response, so logRequestError reads its status (and logs no stack).
const clientError = (status: number) => ({ status, statusText: "", internal: true, data: null });

const TEXT: Record<number, { title: string; message: string }> = {
  400: {
    title: "ページを表示できません",
    message: "URLが正しくありません。リンクやアドレスをお確かめのうえ、トップページからもう一度お試しください。",
  },
  413: {
    title: "送信できません",
    message: "送信された内容が大きすぎます。内容を減らしてから、もう一度お試しください。",
  },
  415: {
    title: "送信できません",
    message:
      "この送信形式は受け付けられません。ページを再読み込みしてから、画面のフォームからもう一度送信してください。",
  },
};

/** A standalone page: no script, no asset, the inline style the non-document CSP allows. */
export function clientErrorHtml(status: number): string {
  const t = TEXT[status] ?? { title: "ページを表示できません", message: "このリクエストは受け付けられません。" };
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title} | 窓口 Madoguchi</title></head>
<body style="margin:0;font-family:sans-serif;font-size:1.0625rem;line-height:1.7;color:#1a1a1c">
<main id="main" style="max-width:42rem;margin:0 auto;padding:3rem 1.25rem">
<p style="font-weight:bold">窓口 <span style="font-weight:normal;font-size:.875em">Madoguchi</span></p>
<p aria-hidden="true" style="font-size:3em;font-weight:bold;line-height:1;color:#00118f">${status}</p>
<h1 style="font-size:1.75em;line-height:1.4">${t.title}</h1>
<p>${t.message}</p>
<p><a href="/" style="color:#00118f;font-weight:bold">トップページへ</a></p>
</main></body></html>`;
}

function sendClientError(res: Parameters<RequestHandler>[1], status: number) {
  res.status(status).set({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  res.send(clientErrorHtml(status));
}
