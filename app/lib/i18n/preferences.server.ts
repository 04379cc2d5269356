import { createContext } from "react-router";
import { readJsonCookie, setJsonCookie } from "~/lib/cookies.server";
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

/** The Set-Cookie that stores a chosen language (also the LINE settings page's, when one is saved). */
export const langCookieHeader = (lang: string) => setJsonCookie("lang", lang, YEAR);
const textSizeCookieHeader = (size: "large" | "normal") => setJsonCookie("textSize", size, YEAR);

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

function readString(header: string | null, cookie: "lang" | "textSize"): string | null {
  const v = readJsonCookie(header, cookie);
  return typeof v === "string" ? v : null;
}

const REFERENCE: Preferences = { lang: REFERENCE_LANGUAGE, largeText: false };

/** Only a `?lang=` or `?text=` link changes a choice (and so sets a cookie). */
const CHOOSES = /[?&](?:lang|text)=/;

/**
 * The preferences of a request and the cookies a choice in its URL stores. Synchronous and cheap, but
 * still only computed when asked (see preferencesMiddleware).
 */
export function choosePreferences(request: Request): { prefs: Preferences; setCookies: string[] } {
  const setCookies: string[] = [];
  const url = new URL(request.url);
  if (!isResidentPath(url.pathname)) return { prefs: REFERENCE, setCookies };
  const header = request.headers.get("Cookie");
  const params = url.searchParams;

  let lang: string;
  const asked = params.get("lang");
  if (asked !== null) {
    // An unknown ?lang= shows Japanese and leaves the stored choice alone.
    const known = i18n.known(asked);
    lang = known ?? REFERENCE_LANGUAGE;
    if (known) setCookies.push(langCookieHeader(known));
  } else {
    lang =
      i18n.known(readString(header, "lang")) ??
      negotiateLanguage(request.headers.get("Accept-Language")) ??
      REFERENCE_LANGUAGE;
  }

  let largeText = readString(header, "textSize") === "large";
  const text = params.get("text");
  if (text === "large" || text === "normal") {
    largeText = text === "large";
    setCookies.push(textSizeCookieHeader(text));
  }
  return { prefs: { lang, largeText }, setCookies };
}

/**
 * Per request, for the root middleware. Most requests never read the preferences — resource routes,
 * data requests that skip the root loader, assets' neighbours — so they are worked out on the first
 * `context.get(preferencesContext)` (a getter), not up front; only a URL that makes a choice is read
 * at once, since its cookie must go on the response. Returns the Set-Cookie values to append.
 */
export function providePreferences(
  request: Request,
  context: { set(c: typeof preferencesContext, v: Preferences): void },
) {
  if (CHOOSES.test(request.url)) {
    const { prefs, setCookies } = choosePreferences(request);
    context.set(preferencesContext, prefs);
    return setCookies;
  }
  let prefs: Preferences | undefined;
  const get = () => (prefs ??= choosePreferences(request).prefs);
  context.set(preferencesContext, {
    get lang() {
      return get().lang;
    },
    get largeText() {
      return get().largeText;
    },
  });
  return [];
}

/** Appends the chosen preferences' cookies to the response (copying it when its headers are immutable). */
export function withPreferenceCookies(response: Response, setCookies: string[]): Response {
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
}
