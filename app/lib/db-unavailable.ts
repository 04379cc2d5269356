import { isRouteErrorResponse } from "react-router";

/**
 * The 「ただいま混み合っています」 answer while the database is away (ADR 029), the part pages share
 * with the browser: its texts and how a boundary recognises it. The server side is
 * db-unavailable.server.ts.
 */
export const DB_UNAVAILABLE_RETRY_AFTER_SECONDS = 10;
/** The `reason` of the 503 JSON and of the boundary's error data: page scripts test for it. */
export const DB_UNAVAILABLE_REASON = "busy";
export const DB_UNAVAILABLE_TITLE = "ただいま混み合っています";
export const DB_UNAVAILABLE_MESSAGE =
  "ただいま混み合っているため、受け付けられませんでした。入力した内容は保たれています。少し時間をおいてから、もう一度お試しください。";

export const dbUnavailableData = () => ({
  reason: DB_UNAVAILABLE_REASON,
  title: DB_UNAVAILABLE_TITLE,
  message: DB_UNAVAILABLE_MESSAGE,
});

/**
 * True for the 503 a route boundary receives: as rendered on the server (data is the object), or in
 * the browser after a data request (React Router hands over the body as text).
 */
export function isDbUnavailableError(error: unknown): boolean {
  if (!isRouteErrorResponse(error) || error.status !== 503) return false;
  let data: unknown = error.data;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      return false;
    }
  }
  return (data as { reason?: unknown } | null)?.reason === DB_UNAVAILABLE_REASON;
}
