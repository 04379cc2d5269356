import { data, type MiddlewareFunction } from "react-router";
import { getDb } from "#db/client.server";
import { tenantContext } from "./context";
import { residentClosure, resolveTenantBySlug } from "./resolve.server";
import { logContext } from "~/lib/log.server";

/**
 * Resolves /c/:city once per request. Unknown city → 404. A suspended city answers resident pages
 * with a notice (503); its admin pages stay reachable so staff can still read and export their data.
 * A city still in onboarding is visible only to its staff.
 */
export const resolveTenant: MiddlewareFunction<Response> = async ({ params, context, request }, next) => {
  const tenant = await resolveTenantBySlug(getDb(), params.city ?? "");
  if (!tenant) throw data({ message: "お探しの自治体は見つかりませんでした。" }, { status: 404 });
  const isAdmin = new URL(request.url).pathname.startsWith(`/c/${tenant.slug}/admin`);
  const closed = isAdmin ? null : residentClosure(tenant);
  if (closed) throw data(closed, { status: 503 });
  context.set(tenantContext, tenant);
  // Still lazy (lazyLogger): a child of the request's logger made only if something logs.
  context.set(logContext, context.get(logContext).child({ tenantId: tenant.id }));
  return next();
};
