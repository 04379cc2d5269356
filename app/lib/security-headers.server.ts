import { randomBytes } from "node:crypto";

/**
 * Every security header the app sends, in one place (ADR 024). Three users:
 * - app/entry.server.tsx: each HTML document gets the full set with a fresh CSP nonce
 *   (documentSecurityHeaders), in production and under the Vite dev server alike;
 * - server/app.ts: every other express answer (data requests, resource routes, assets, errors)
 *   gets the static set plus a locked-down CSP, only for headers the route did not set itself;
 * - server/fast-paths.ts: the two hot JSON paths get the precomputed static set (no per-request work).
 */

export type HeaderList = [name: string, value: string][];

/** A CSP nonce: 128 random bits, base64 (what the spec asks for: unguessable, fresh per response). */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

// The invitation and password-reset links (routes.ts ":token"): the secret is in the path, so the
// page must not send it on as a Referer — not even to our own assets, whose URLs reach access logs.
// Also the resident's one-time reservation link (ADR 027) and a report's public after-photo (ADR 054).
const TOKEN_PAGE =
  /^\/(?:(?:c\/[^/]+\/admin|vendor)\/(?:invite|password\/reset)|c\/[^/]+\/(?:reservation\/open|report-photos))\/[^/]+\/?$/;
export const carriesSecretToken = (pathname: string) => TOKEN_PAGE.test(pathname);

// Resident pages of a city (everything under /c/:city but its admin): the resident layout mounts
// LiffBoot there, and inside LINE the LIFF SDK talks to LINE from the page.
const RESIDENT_PAGE = /^\/c\/[^/]+(?:\/(?!admin(?:\/|$)).*)?$/;
// What @line/liff 2.x fetches during liff.init / getIDToken inside the LINE app: the LIFF server API
// and ID-token keys (api.line.me), the OpenID configuration (access.line.me), the SDK's message
// catalogue (liffsdk.line-scdn.net). Scripts from LINE's CDN (analytics, the Android "open in
// browser" alert) are deliberately not allowed: no third-party code on pages with residents' data.
const LIFF_CONNECT = ["https://api.line.me", "https://access.line.me", "https://liffsdk.line-scdn.net"];

// The dev tools (DEV_TOOLS=1 only, 404 otherwise): /dev/mail shows a captured mail's HTML in a
// sandboxed srcdoc frame, which inherits this page's policy, and mail HTML is inline styles and
// arbitrary image URLs; /dev/line positions the rich-menu tap areas with style attributes and shows
// whatever image URL a bot message carries. Looser style/img there only, never on a product page.
const DEV_TOOL_PAGE = /^\/dev\/(?:mail|line)(?:\/|$)/;

export type PolicyInput = {
  nonce: string;
  pathname: string;
  /** Served by the Vite dev server: it injects CSS as <style> elements and talks HMR over a WebSocket. */
  dev?: boolean;
};

export function contentSecurityPolicy({ nonce, pathname, dev = false }: PolicyInput): string {
  const devTool = DEV_TOOL_PAGE.test(pathname);
  const connect = ["'self'", ...(RESIDENT_PAGE.test(pathname) ? LIFF_CONNECT : []), ...(dev ? ["ws:", "wss:"] : [])];
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self'${dev || devTool ? " 'unsafe-inline'" : ""}`,
    `img-src 'self' data: blob:${devTool ? " http: https:" : ""}`,
    `connect-src ${connect.join(" ")}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * For answers that are not pages (JSON, CSV, images, assets): nothing may load or run if a browser
 * ever renders one as a document (an uploaded SVG opened directly, a mis-sniffed body). Images and
 * inline style stay allowed so that an image opened in a tab still shows in the browser's viewer.
 */
export const NON_DOCUMENT_CSP =
  "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The headers every answer carries. HSTS only when the app is served over https (APP_ORIGIN). */
export function staticSecurityHeaders(appOrigin: string): HeaderList {
  const list: HeaderList = [
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    ["X-Frame-Options", "DENY"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    // No page uses the camera, microphone or payment APIs; location only on our own pages (the shelter
    // list sorted by distance, issue 18), never in a frame of another origin.
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"],
  ];
  if (appOrigin.startsWith("https://")) list.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  return list;
}

/** Everything a page's response carries; `nonce` must also go to <ServerRouter> and renderToPipeableStream. */
export function documentSecurityHeaders(input: PolicyInput & { appOrigin: string }): HeaderList {
  const list = staticSecurityHeaders(input.appOrigin).map(([k, v]): [string, string] =>
    k === "Referrer-Policy" && carriesSecretToken(input.pathname) ? [k, "no-referrer"] : [k, v],
  );
  list.push(["Content-Security-Policy", contentSecurityPolicy(input)]);
  return list;
}
