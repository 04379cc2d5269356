import { parseCookie, stringifySetCookie } from "cookie";
import { env } from "./env.server";

/**
 * Every cookie Madoguchi sets, in one place (ADR 036): its name, its path and its flags. Everything
 * is HttpOnly and SameSite=Lax; Secure whenever APP_ORIGIN is https. Reading and writing go through
 * the `cookie` package (what React Router's createCookie uses underneath); lint forbids building a
 * Set-Cookie string or splitting the Cookie header anywhere else.
 *
 * Why not createCookie itself: its parse/serialize are async and re-encode every value as base64
 * JSON. The values here are already sealed (AES-GCM, see crypto.server) or random ids; a new encoding
 * would end every session and every booking flow in progress at deploy, and the booking fast path
 * (server/fast-paths.ts) reads the flow cookie synchronously on every attempt of an opening rush.
 * The two preference cookies (ADR 039) were first written by createCookie: they keep its encoding
 * (`encoding: "json"`, base64 of JSON, unsigned) so the choices browsers already hold still read.
 * Lint forbids createCookie and the `cookie` package outside this module.
 */

type Scope = "root" | "city" | "dev";
type CookieSpec = { name: string; scope: Scope; encoding?: "json" };

export const COOKIES = {
  /** City staff session (app/auth): separate from the vendor's so the two never mix in one browser. */
  staffSession: { name: "mdg_staff", scope: "root" },
  vendorSession: { name: "mdg_vendor", scope: "root" },
  /**
   * City-scoped, path `/c/<city>/` (not `/c/<city>/reserve`: React Router's `.data` requests must
   * carry them too), so each city's pages only ever get their own.
   */
  lineIdentity: { name: "mdg_line", scope: "city" },
  reserveFlow: { name: "mdg_reserve", scope: "city" },
  mine: { name: "mdg_mine", scope: "city" },
  waitingRoom: { name: "mdg_wr", scope: "city" },
  /** The LINE simulator's residents (dev only). Path /dev: its `.data` requests go to /dev/line.data. */
  devLineResidents: { name: "dev_line_residents", scope: "dev" },
  /** The resident's page language and text size (ADR 039): one year, every path. */
  lang: { name: "lang", scope: "root", encoding: "json" },
  textSize: { name: "text_size", scope: "root", encoding: "json" },
} as const satisfies Record<string, CookieSpec>;

export type CookieName = keyof typeof COOKIES;
/** The cookies holding a small JSON value (readJsonCookie / setJsonCookie). */
export type JsonCookieName = {
  [K in CookieName]: (typeof COOKIES)[K] extends { encoding: "json" } ? K : never;
}[CookieName];

/** A Fetch Request, the fast path's header adapter, or the raw Cookie header itself. */
type CookieSource = { headers: { get(name: string): string | null } } | string | null | undefined;

/**
 * The value of one of our cookies, URI-decoded, or null. The first one wins when a browser sends the
 * name twice (as before). A malformed escape yields the raw value, which the readers' format or
 * decryption checks then refuse.
 */
export function readCookie(from: CookieSource, cookie: CookieName): string | null {
  const header = typeof from === "string" || from == null ? from : from.headers.get("cookie");
  if (!header) return null;
  return parseCookie(header)[COOKIES[cookie].name] ?? null;
}

/**
 * The JSON value of a preference cookie, or null when it is missing, empty or not ours to read
 * (bad base64 or JSON: the reader treats it as not chosen, as createCookie did).
 */
export function readJsonCookie(from: CookieSource, cookie: JsonCookieName): unknown {
  const raw = readCookie(from, cookie);
  if (!raw) return null;
  try {
    return JSON.parse(Buffer.from(raw, "base64").toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

function pathOf(spec: CookieSpec, citySlug: string | undefined): string {
  if (spec.scope === "root") return "/";
  if (spec.scope === "dev") return "/dev";
  if (!citySlug) throw new Error(`cookie ${spec.name} is scoped to a city: pass its slug`);
  return `/c/${citySlug}/`;
}

export type CookieOptions = {
  /** For the city-scoped cookies. */
  citySlug?: string;
  /** Overrides the APP_ORIGIN rule (the dev LINE simulator passes its own origin's). */
  secure?: boolean;
};

/**
 * The Set-Cookie header value. Max-Age goes last (after SameSite), so the headers stay byte-identical
 * to those before this module on http; the attribute order means nothing to a browser.
 */
export function setCookie(cookie: CookieName, value: string, maxAgeSeconds: number, opts: CookieOptions = {}) {
  const spec: CookieSpec = COOKIES[cookie];
  const secure = opts.secure ?? env().APP_ORIGIN.startsWith("https://");
  const head = stringifySetCookie(spec.name, value, {
    path: pathOf(spec, opts.citySlug),
    httpOnly: true,
    secure,
    sameSite: "lax",
  });
  return `${head}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
}

/** A preference cookie's Set-Cookie, its value in createCookie's encoding (base64 of JSON). */
export function setJsonCookie(cookie: JsonCookieName, value: unknown, maxAgeSeconds: number, opts: CookieOptions = {}) {
  return setCookie(cookie, Buffer.from(JSON.stringify(value), "utf8").toString("base64"), maxAgeSeconds, opts);
}

/** Removes the cookie from the browser (same name and path, Max-Age=0). */
export const clearCookie = (cookie: CookieName, opts: CookieOptions = {}) => setCookie(cookie, "", 0, opts);
