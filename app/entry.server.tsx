import { PassThrough } from "node:stream";

import type {
  AppLoadContext,
  EntryContext,
  HandleDataRequestFunction,
  HandleErrorFunction,
  RouterContextProvider,
} from "react-router";
import { createReadableStreamFromReadable } from "@react-router/node";
import { ServerRouter } from "react-router";
import { isbot } from "isbot";
import type { RenderToPipeableStreamOptions } from "react-dom/server";
import { renderToPipeableStream } from "react-dom/server";
import { env } from "~/lib/env.server";
import { logRequestError } from "~/lib/request-log.server";
import { createNonce, documentSecurityHeaders } from "~/lib/security-headers.server";
import {
  dbUnavailableDataResponse,
  dbUnavailableResponse,
  dbUnavailableStep,
  isDbUnavailableResponse,
  noteDbUnavailable,
  retryAfterHeader,
} from "~/lib/db-unavailable.server";

export const streamTimeout = 5_000;

// Framework-free handlers the production server (server/app.ts) routes before React Router.
export { handleLineWebhook } from "~/features/line/webhook.server";
export { handleBookingApi } from "~/features/reservations/booking-api.server";
// The load context with the socket's client address (ADR 026), made inside the build so that
// server/app.ts hands React Router the very context key and class the routes use.
export { createLoadContext } from "~/lib/client-address.server";

// The database away (ADR 029): a page or data request answers 503 (「ただいま混み合っています」).
export const handleDataRequest: HandleDataRequestFunction = (response, { request }) =>
  dbUnavailableDataResponse(request, response);

/**
 * Errors from loaders, actions and React Router itself (ADR 028): a client error (404, 405, the
 * framework's Origin check…) is one info line without a stack; only a server fault logs its stack.
 * React Router's default logged every 405 with a full stack trace, so anyone could flood the log.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  // The database away (ADR 029): noted here (one warning line), answered 503 by handleRequest below.
  if (noteDbUnavailable(error, request) || isDbUnavailableResponse(error)) return;
  logRequestError(error, { method: request.method, url: request.url, aborted: request.signal.aborted });
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  _loadContext: AppLoadContext | RouterContextProvider,
) {
  // The database is away: React Router renders again with this 503 at the route boundary.
  const dbStep = dbUnavailableStep(request);
  if (dbStep === "throw") throw dbUnavailableResponse();
  if (dbStep === "headers")
    for (const [name, value] of Object.entries(retryAfterHeader())) responseHeaders.set(name, value);
  // A fresh nonce per page: the CSP allows only our own script files and the inline scripts React
  // Router and React emit, which carry it (ServerRouter passes it to <Scripts>, <ScrollRestoration>,
  // <Links> and the streamed data; renderToPipeableStream to React's own streaming scripts).
  const nonce = createNonce();
  const pathname = new URL(request.url).pathname;
  for (const [name, value] of documentSecurityHeaders({
    nonce,
    pathname,
    appOrigin: env().APP_ORIGIN,
    dev: import.meta.env.DEV,
  })) {
    responseHeaders.set(name, value);
  }

  // https://httpwg.org/specs/rfc9110.html#HEAD
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, {
      status: responseStatusCode,
      headers: responseHeaders,
    });
  }

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get("user-agent");

    // Ensure requests from bots and SPA Mode renders wait for all content to load before responding
    // https://react.dev/reference/react-dom/server/renderToPipeableStream#waiting-for-all-content-to-load-for-crawlers-and-static-generation
    const readyOption: keyof RenderToPipeableStreamOptions =
      (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? "onAllReady" : "onShellReady";

    // Abort the rendering stream after the `streamTimeout` so it has time to
    // flush down the rejected boundaries
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000);

    const { pipe, abort } = renderToPipeableStream(
      <ServerRouter context={routerContext} url={request.url} nonce={nonce} />,
      {
        nonce,
        [readyOption]() {
          shellRendered = true;
          const body = new PassThrough({
            final(callback) {
              // Clear the timeout to prevent retaining the closure and memory leak
              clearTimeout(timeoutId);
              timeoutId = undefined;
              callback();
            },
          });
          const stream = createReadableStreamFromReadable(body);

          responseHeaders.set("Content-Type", "text/html");

          pipe(body);

          resolve(
            new Response(stream, {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Log streaming rendering errors from inside the shell.  Don't log
          // errors encountered during initial shell rendering since they'll
          // reject and get logged in handleDocumentRequest.
          if (shellRendered) {
            logRequestError(error, { method: request.method, url: request.url, aborted: request.signal.aborted });
          }
        },
      },
    );
  });
}
