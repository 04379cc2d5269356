/**
 * Every way into the city's pages from LINE (rich-menu tiles, keyword replies, pushes) goes through
 * this one helper (issue 13.3). With a LIFF id the link is https://liff.line.me/<liffId>/<rest>,
 * which LINE resolves to the LIFF app's endpoint URL + rest: the city registers
 * `${APP_ORIGIN}/c/<slug>` as the endpoint (ADR 009), so `rest` is the path below the city, and the
 * page opens as a LIFF page that knows the resident's LINE account. Without a LIFF id the page opens
 * directly in LINE's in-app browser. Both carry channel=line, which the resident pages use to record
 * that a booking came through LINE (and to offer linking it).
 */
export type LiffLinkContext = { slug: string; liffId: string | null; appOrigin: string };

/** `path` is the app path (`/c/<slug>/reserve`) or the part below the city (`/reserve`). */
export function linePageUrl(path: string, ctx: LiffLinkContext): string {
  const cityRoot = `/c/${ctx.slug}`;
  const rest =
    path === cityRoot || path.startsWith(`${cityRoot}/`) || path.startsWith(`${cityRoot}?`)
      ? path.slice(cityRoot.length)
      : path;
  const url = ctx.liffId
    ? new URL(`https://liff.line.me/${ctx.liffId}${rest}`)
    : new URL(`${ctx.appOrigin}${cityRoot}${rest}`);
  url.searchParams.set("channel", "line");
  return url.toString();
}
