import type { Route } from "./+types/c.$city.open311.v2.requests.$id";
import { getDb } from "#db/client.server";
import { open311Request } from "~/features/reports/open311.server";
import { tenantContext } from "~/tenants/context";

/** Open311 GeoReport v2: one service request by its 受付番号 (`requests/R-XXXXXXX.json`). */
export async function loader({ context, params, request }: Route.LoaderArgs) {
  const m = /^(R-[0-9A-Z]{7})\.json$/i.exec(params.id);
  const key = new URL(request.url).searchParams.get("api_key");
  const r = m
    ? await open311Request(getDb(), context.get(tenantContext).id, m[1]!.toUpperCase(), key)
    : { status: 404, body: [{ code: 404, description: "service request not found" }] };
  return new Response(JSON.stringify(r.body), {
    status: r.status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}
