import { PassThrough } from "node:stream";

import type { AppLoadContext, EntryContext, HandleErrorFunction, RouterContextProvider } from "react-router";
import { createReadableStreamFromReadable } from "@react-router/node";
import { ServerRouter } from "react-router";
import { isbot } from "isbot";
import type { RenderToPipeableStreamOptions } from "react-dom/server";
import { renderToPipeableStream } from "react-dom/server";
import { env } from "~/lib/env.server";
import { logRequestError } from "~/lib/request-log.server";
import { createNonce, documentSecurityHeaders } from "~/lib/security-headers.server";

export const streamTimeout = 5_000;

// Framework-free handlers the production server (server/app.ts) routes before React Router.
export { handleLineWebhook } from "~/features/line/webhook.server";
export { handleBookingApi } from "~/features/reservations/booking-api.server";

/**
 * Errors from loaders, actions and React Router itself (ADR 028): a client error (404, 405, the
 * framework's Origin check…) is one info line without a stack; only a server fault logs its stack.
 * React Router's default logged every 405 with a full stack trace, so anyone could flood the log.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  logRequestError(error, { method: request.method, url: request.url, aborted: request.signal.aborted });
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  _loadContext: AppLoadContext | RouterContextProvider,
) {
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
