import { getDb } from "#db/client.server";
import { clearSessionCookie, readSessionToken } from "./cookies.server";
import {
  invalidateAllSessions,
  invalidateSession,
  sessionIdFromToken,
  validateSessionToken,
  type SessionKind,
} from "./session.server";

/** Ends this browser's session; returns the Set-Cookie value that clears it. */
export async function logout(request: Request, kind: SessionKind) {
  const token = readSessionToken(request, kind);
  if (token) await invalidateSession(getDb(), sessionIdFromToken(token));
  return clearSessionCookie(kind);
}

/** Ends every session of the signed-in person (lost phone, shared PC). */
export async function logoutEverywhere(request: Request, kind: SessionKind) {
  const token = readSessionToken(request, kind);
  const db = getDb();
  const session = token ? await validateSessionToken(db, kind, token) : null;
  const ended = session ? await invalidateAllSessions(db, kind, session.user.id) : 0;
  return { cookie: clearSessionCookie(kind), ended };
}
