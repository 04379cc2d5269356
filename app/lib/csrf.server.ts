/**
 * CSRF defence for every state-changing request: the browser's Origin header (sent on every
 * cross-site and same-site POST by current browsers) must be our own origin. Webhooks are exempt:
 * they are machine-to-machine and verify their own signatures.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const EXEMPT_PREFIXES = ["/webhooks/"];
// Open311 (issue 17): machine clients authenticated by an API key, never by a cookie.
const EXEMPT_PATTERNS = [/^\/c\/[^/]+\/open311\//];

export function isCrossSiteRequest(request: Request, appOrigin: string): boolean {
  // Every request passes here (the root middleware): reads need no URL parse.
  if (SAFE_METHODS.has(request.method)) return false;
  const url = new URL(request.url);
  return isCrossSite(
    { method: request.method, pathname: url.pathname, selfOrigin: url.origin, headers: request.headers },
    appOrigin,
  );
}

/** The same check on plain values, for the framework-free handlers (server/app.ts). */
export function isCrossSite(
  req: { method: string; pathname: string; selfOrigin: string; headers: HeaderSource },
  appOrigin: string,
): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  if (EXEMPT_PREFIXES.some((p) => req.pathname.startsWith(p))) return false;
  if (EXEMPT_PATTERNS.some((p) => p.test(req.pathname))) return false;
  const origin = req.headers.get("origin");
  if (origin) return origin !== appOrigin && origin !== req.selfOrigin;
  // No Origin (old browser or a non-browser client): fall back to Fetch Metadata, else refuse.
  const site = req.headers.get("sec-fetch-site");
  return site !== "same-origin";
}

/** What the checks read from a request: a Fetch Headers object, or an adapter over node's headers. */
export type HeaderSource = { get(name: string): string | null };
