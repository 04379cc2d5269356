import { readCookie, setCookie } from "~/lib/cookies.server";

/**
 * The simulated residents of each city, kept in a cookie of the browser using the simulator: each
 * developer (and each Playwright test, with its fresh browser context) gets its own residents, and the
 * emulator, which forgets everything on restart, needs to remember nothing. The cookie holds only
 * emulator user ids, which are random and mean nothing outside the emulator.
 */
export const RESIDENTS_PER_CITY = 3;
export const MAX_RESIDENTS_PER_CITY = 6;
const MAX_CITIES = 20;
const USER_ID = /^U[0-9a-f]{32}$/;
const SLUG = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

export type Residents = Record<string, string[]>;

export function readResidents(cookieHeader: string | null): Residents {
  const raw = readCookie(cookieHeader, "devLineResidents");
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch (_err) {
    return {}; // a damaged cookie only costs new residents
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const out: Residents = {};
  for (const [slug, ids] of Object.entries(parsed).slice(0, MAX_CITIES)) {
    if (!SLUG.test(slug) || !Array.isArray(ids)) continue;
    const valid = ids
      .filter((id): id is string => typeof id === "string" && USER_ID.test(id))
      .slice(0, MAX_RESIDENTS_PER_CITY);
    if (valid.length) out[slug] = [...new Set(valid)];
  }
  return out;
}

export function residentsCookie(residents: Residents, secure: boolean): string {
  const value = Buffer.from(JSON.stringify(residents)).toString("base64url");
  return setCookie("devLineResidents", value, 30 * 24 * 3600, { secure });
}

/** 住民A, 住民B, … in the order the residents were created. */
export function residentLabel(index: number): string {
  return `住民${String.fromCharCode(0xff21 + index)}`;
}
