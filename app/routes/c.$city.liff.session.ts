import type { Route } from "./+types/c.$city.liff.session";
import { clientAddress } from "~/lib/client-address.server";
import { getDb } from "#db/client.server";
import { handleLiffSession, liffBootInfo } from "~/features/liff/session.server";
import { tenantContext } from "~/tenants/context";

/**
 * The LIFF handshake of a city's resident pages (a resource route, no UI). GET: what the page's LIFF
 * boot needs (LIFF id, whether the identity cookie is already set). POST {idToken}: verified at
 * LINE, then the `mdg_line` cookie. The root middleware's Origin check guards the POST like a form.
 */
export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  return Response.json(await liffBootInfo(request, tenant, getDb()), { headers: { "Cache-Control": "no-store" } });
}

export async function action({ context, request }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  return handleLiffSession(request, tenant, { db: getDb(), ip: clientAddress(context) });
}
