/**
 * CSRF defence for every state-changing request: the browser's Origin header (sent on every
 * cross-site and same-site POST by current browsers) must be our own origin. Webhooks are exempt:
 * they are machine-to-machine and verify their own signatures.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const EXEMPT_PREFIXES = ["/webhooks/"];

export function isCrossSiteRequest(request: Request, appOrigin: string): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const url = new URL(request.url);
  if (EXEMPT_PREFIXES.some((p) => url.pathname.startsWith(p))) return false;
  const origin = request.headers.get("origin");
  if (origin) return origin !== appOrigin && origin !== url.origin;
  // No Origin (old browser or a non-browser client): fall back to Fetch Metadata, else refuse.
  const site = request.headers.get("sec-fetch-site");
  return site !== "same-origin";
}
