import { data, redirect, type MiddlewareFunction, type RouterContextProvider } from "react-router";
import { getDb } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import type { StaffRole } from "#db/schema/index";
import { findMembership } from "~/features/staff/staff.server";
import { staffContext, tenantContext, vendorContext } from "~/tenants/context";
import { readSessionToken, sessionCookie } from "./cookies.server";
import { validateSessionToken } from "./session.server";
import { secondFactorState } from "./two-factor/two-factor.server";

function loginRedirect(path: string, request: Request) {
  const url = new URL(request.url);
  const next = url.pathname + url.search;
  return redirect(`${path}?next=${encodeURIComponent(next)}`);
}

/** Renewed sessions get a fresh cookie on the way out, so sliding expiry reaches the browser. */
async function withRenewedCookie(next: () => Promise<Response>, cookie: string | null) {
  const response = await next();
  if (cookie) response.headers.append("Set-Cookie", cookie);
  return response;
}

/**
 * Admin pages of /c/:city: a valid staff session AND a membership in this very city. A member of
 * another city is refused with 403, not redirected, so the refusal is visible and audited in logs.
 */
export const requireStaff: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const tenant = context.get(tenantContext);
  const token = readSessionToken(request, "staff");
  if (!token) throw loginRedirect(`/c/${tenant.slug}/admin/login`, request);
  const db = getDb();
  const session = await validateSessionToken(db, "staff", token);
  if (!session || session.kind !== "staff") throw loginRedirect(`/c/${tenant.slug}/admin/login`, request);
  const membership = await withTenant(db, tenant.id, (tx) => findMembership(tx, tenant.id, session.user.id));
  if (!membership) throw data({ message: "この自治体の管理画面を利用する権限がありません。" }, { status: 403 });
  // Two-factor is optional for city staff; once enrolled, a password-only session is not enough.
  const second = await secondFactorState(db, "staff", session.user.id, session.sessionId);
  if (second.enrolled && !second.verified) throw loginRedirect(`/c/${tenant.slug}/admin/login/verify`, request);
  context.set(staffContext, { user: session.user, membership, sessionId: session.sessionId });
  return withRenewedCookie(next, session.renewed ? sessionCookie("staff", token, session.expiresAt) : null);
};

export const requireVendor: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const token = readSessionToken(request, "vendor");
  if (!token) throw loginRedirect("/vendor/login", request);
  const db = getDb();
  const session = await validateSessionToken(db, "vendor", token);
  if (!session || session.kind !== "vendor") throw loginRedirect("/vendor/login", request);
  // Vendor staff can act on every city: two-factor is mandatory, enrolment comes right after login.
  const second = await secondFactorState(db, "vendor", session.user.id, session.sessionId);
  if (!second.enrolled) throw loginRedirect("/vendor/two-factor", request);
  if (!second.verified) throw loginRedirect("/vendor/login/verify", request);
  context.set(vendorContext, { user: session.user, sessionId: session.sessionId });
  return withRenewedCookie(next, session.renewed ? sessionCookie("vendor", token, session.expiresAt) : null);
};

/** Role rights inside a city. admin: everything; operator: phone bookings and day-to-day; analyst: read-only dashboards. */
export function requireRole(context: Readonly<RouterContextProvider>, roles: StaffRole[]) {
  const staff = context.get(staffContext);
  if (!roles.includes(staff.membership.role)) {
    throw data({ message: "この操作を行う権限がありません。管理者にお問い合わせください。" }, { status: 403 });
  }
  return staff;
}

/**
 * The session behind the second step's own pages (verify, first enrolment), which a password-only
 * session may open. Returns null without a valid session of this kind.
 */
export async function passwordSession(request: Request, kind: "staff" | "vendor") {
  const token = readSessionToken(request, kind);
  if (!token) return null;
  return validateSessionToken(getDb(), kind, token);
}
