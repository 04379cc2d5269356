import type { Route } from "./+types/c.$city.open311.v2.$resource";
import { getDb } from "#db/client.server";
import {
  open311Create,
  open311Requests,
  open311Services,
  type Open311Response,
} from "~/features/reports/open311.server";
import { readForm } from "~/lib/form-body.server";
import { tenantContext } from "~/tenants/context";

/**
 * Open311 GeoReport v2 (issue 17): /c/<city>/open311/v2/services.json, requests.json (GET, POST)
 * and requests/<id>.json (see the README). JSON only; no session, no cookies; the API key decides.
 */
const json = (r: Open311Response) =>
  new Response(JSON.stringify(r.body), {
    status: r.status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
const notFound = () => json({ status: 404, body: [{ code: 404, description: "not found (only .json is served)" }] });

export async function loader({ context, params, request }: Route.LoaderArgs) {
  const tenantId = context.get(tenantContext).id;
  const q = new URL(request.url).searchParams;
  if (params.resource === "services.json") return json(await open311Services(getDb(), tenantId));
  if (params.resource === "requests.json") return json(await open311Requests(getDb(), tenantId, q));
  return notFound();
}

export async function action({ context, params, request }: Route.ActionArgs) {
  if (params.resource !== "requests.json" || request.method !== "POST")
    return json({ status: 405, body: [{ code: 405, description: "method not allowed" }] });
  const form = await readForm(request, { maxBytes: 64 * 1024 });
  const fields = new URLSearchParams();
  for (const [k, v] of form) if (typeof v === "string") fields.append(k, v);
  // api_key may come in the query string as well (GeoReport clients differ).
  const key = new URL(request.url).searchParams.get("api_key");
  if (key && !fields.has("api_key")) fields.set("api_key", key);
  return json(await open311Create(getDb(), context.get(tenantContext).id, fields));
}
