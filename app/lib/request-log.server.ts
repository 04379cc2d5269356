import { isRouteErrorResponse } from "react-router";
import { moduleLog, type Logger } from "~/lib/log.server";

/**
 * How a failed request is logged (ADR 028). A client error — a 4xx: an unknown page, a method a
 * route does not take, a body that is not a form, a bad path — is one `info` line with the status,
 * the method and a redacted path, never a stack: anyone can send those by the thousand, and the log
 * must stay readable (and cheap) when they do. Only a server fault (5xx) is logged at `error`, with
 * its stack, because that is a bug to fix. Logged through the one logger's "http" child.
 */
/** The one logger's "http" child (ADR 035). */
export function httpLog(): Logger {
  return moduleLog("http");
}

/**
 * Errors React Router raises itself (not a route error response) for what the client sent: its
 * Origin check (`throwIfPotentialCSRFAttack`) answers 400 and hands handleError a plain Error.
 */
const FRAMEWORK_CLIENT_ERRORS = [/ Aborting the action\.$/];

/** The status a thrown value stands for: a route error response's own, a known client error 400, else 500. */
export function statusOfError(error: unknown): number {
  if (isRouteErrorResponse(error)) return error.status;
  if (error instanceof Error && FRAMEWORK_CLIENT_ERRORS.some((re) => re.test(error.message))) return 400;
  return 500;
}

/**
 * Tokens travel in a few paths (invitation and password-reset links, confirmation codes): those
 * segments, and any long opaque one, are replaced so the log never holds a usable link.
 */
export function redactPath(pathname: string): string {
  const parts = pathname.slice(0, 300).split("/");
  return parts
    .map((seg, i) => {
      const before = parts[i - 1];
      if (before === "reset" || before === "invite" || before === "done") return ":redacted";
      return seg.length >= 24 && !/^[0-9a-f-]{36}$/i.test(seg) ? ":redacted" : seg;
    })
    .join("/");
}

function pathOf(url: string): string {
  try {
    return redactPath(new URL(url, "http://x").pathname);
  } catch {
    return ":unparseable";
  }
}

/** One line per failed request: info without a stack for a client error, error with one for a fault. */
export function logRequestError(error: unknown, req: { method: string; url: string; aborted?: boolean }): void {
  const status = statusOfError(error);
  const line = { status, method: req.method.slice(0, 16), path: pathOf(req.url) };
  if (status < 500 || req.aborted) return httpLog().info(line, "client error");
  if (isRouteErrorResponse(error)) return httpLog().warn(line, "server error response");
  httpLog().error({ ...line, err: error instanceof Error ? error : String(error) }, "request failed");
}
