import { isRouteErrorResponse } from "react-router";
import { ja } from "./i18n/messages";

/**
 * The 「ただいま混み合っています」 answer while the database is away (ADR 029), the part pages share
 * with the browser: its texts and how a boundary recognises it. The server side is
 * db-unavailable.server.ts.
 */
export const DB_UNAVAILABLE_RETRY_AFTER_SECONDS = 10;
/** The `reason` of the 503 JSON and of the boundary's error data: page scripts test for it. */
export const DB_UNAVAILABLE_REASON = "busy";
// Japanese from the catalogue; resident pages show them in their language (ADR 043).
export const DB_UNAVAILABLE_TITLE = ja("booking:busy.title");
export const DB_UNAVAILABLE_MESSAGE = ja("booking:busy.message");

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
