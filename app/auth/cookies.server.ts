import { env } from "~/lib/env.server";
import type { SessionKind } from "./session.server";

// Separate cookies so a vendor session and a city-staff session in one browser never mix.
const COOKIE_NAMES: Record<SessionKind, string> = { staff: "mdg_staff", vendor: "mdg_vendor" };

export function readSessionToken(request: Request, kind: SessionKind): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === COOKIE_NAMES[kind]) {
      // A cookie the browser mangled or a client made up is simply no session (ADR 028), not a 500.
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}

function attributes(maxAgeSeconds: number) {
  // Secure outside plain-http local development; HttpOnly so scripts never see the token.
  const secure = env().APP_ORIGIN.startsWith("https://") ? "; Secure" : "";
  return `; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

export function sessionCookie(kind: SessionKind, token: string, expiresAt: Date, now = new Date()) {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return `${COOKIE_NAMES[kind]}=${encodeURIComponent(token)}${attributes(maxAge)}`;
}

export function clearSessionCookie(kind: SessionKind) {
  return `${COOKIE_NAMES[kind]}=${attributes(0)}`;
}
