import { createCookie, createContext, type MiddlewareFunction } from "react-router";
import { REFERENCE_LANGUAGE, i18n, matchLanguage } from "./index";

/**
 * The resident's language and text size (ADR 039), chosen once per request by the root middleware:
 * `?lang=` (the switch's links) › the `lang` cookie › the browser's Accept-Language › Japanese.
 * Staff and vendor pages stay Japanese whatever was chosen. 「文字を大きく」 is `?text=large|normal`,
 * kept in its own cookie. A chosen value is stored in the cookie on the same response.
 */
export type Preferences = { lang: string; largeText: boolean };
export const preferencesContext = createContext<Preferences>({ lang: REFERENCE_LANGUAGE, largeText: false });

const YEAR = 60 * 60 * 24 * 365;
const options = { path: "/", sameSite: "lax" as const, httpOnly: true, maxAge: YEAR };
export const langCookie = createCookie("lang", options);
export const textSizeCookie = createCookie("text_size", options);

/** Resident pages are the city's pages outside its staff console. */
export function isResidentPath(pathname: string): boolean {
  return /^\/c\/[^/]+(\/|$)/.test(pathname) && !/^\/c\/[^/]+\/admin(\/|$)/.test(pathname);
}

/** The best shipped language for an Accept-Language header, in the browser's order of q; or null. */
export function negotiateLanguage(header: string | null): string | null {
  if (!header) return null;
  const ranges = header
    .split(",")
    .slice(0, 20)
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag && r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return matchLanguage(ranges.map((r) => r.tag));
}

async function readCookie(cookie: typeof langCookie, header: string | null): Promise<string | null> {
  const v: unknown = await cookie.parse(header).catch(() => null);
  return typeof v === "string" ? v : null;
}

export async function choosePreferences(request: Request): Promise<{ prefs: Preferences; setCookies: string[] }> {
  const url = new URL(request.url);
  const header = request.headers.get("Cookie");
  const setCookies: string[] = [];
  if (!isResidentPath(url.pathname)) return { prefs: { lang: REFERENCE_LANGUAGE, largeText: false }, setCookies };

  let lang: string;
  const asked = url.searchParams.get("lang");
  if (asked !== null) {
    // An unknown ?lang= shows Japanese and leaves the stored choice alone.
    const known = i18n.known(asked);
    lang = known ?? REFERENCE_LANGUAGE;
    if (known) setCookies.push(await langCookie.serialize(known));
  } else {
    lang =
      i18n.known(await readCookie(langCookie, header)) ??
      negotiateLanguage(request.headers.get("Accept-Language")) ??
      REFERENCE_LANGUAGE;
  }

  let largeText = (await readCookie(textSizeCookie, header)) === "large";
  const text = url.searchParams.get("text");
  if (text === "large" || text === "normal") {
    largeText = text === "large";
    setCookies.push(await textSizeCookie.serialize(text));
  }
  return { prefs: { lang, largeText }, setCookies };
}

export const preferencesMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const { prefs, setCookies } = await choosePreferences(request);
  context.set(preferencesContext, prefs);
  const response = await next();
  if (!setCookies.length) return response;
  // Some responses (Response.redirect, fetched ones) have immutable headers: copy those.
  let out = response;
  try {
    for (const c of setCookies) out.headers.append("Set-Cookie", c);
  } catch {
    out = new Response(response.body, response);
    for (const c of setCookies) out.headers.append("Set-Cookie", c);
  }
  return out;
};
