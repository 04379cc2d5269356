import { clearCookie, readCookie, setCookie, type CookieName } from "~/lib/cookies.server";
import type { SessionKind } from "./session.server";

// Separate cookies so a vendor session and a city-staff session in one browser never mix (names and
// flags: app/lib/cookies.server.ts).
const COOKIE_OF: Record<SessionKind, CookieName> = { staff: "staffSession", vendor: "vendorSession" };

export function readSessionToken(request: Request, kind: SessionKind): string | null {
  return readCookie(request, COOKIE_OF[kind]);
}

export function sessionCookie(kind: SessionKind, token: string, expiresAt: Date, now = new Date()) {
  return setCookie(COOKIE_OF[kind], token, (expiresAt.getTime() - now.getTime()) / 1000);
}

export function clearSessionCookie(kind: SessionKind) {
  return clearCookie(COOKIE_OF[kind]);
}
