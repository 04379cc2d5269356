import type { Route } from "./+types/c.$city.reserve.book";
import { handleBookingApi } from "~/features/reservations/booking-api.server";
import { clientAddress } from "~/lib/client-address.server";

// Development and any server that does not route /c/:city/reserve/book itself (server/app.ts does):
// adapts the Fetch Request to the framework-free handler.
async function adapt(request: Request, city: string, address: string | null) {
  const url = new URL(request.url);
  const rawBody = request.method === "POST" ? Buffer.from(await request.arrayBuffer()) : Buffer.alloc(0);
  const r = await handleBookingApi({
    citySlug: city,
    method: request.method,
    pathname: url.pathname,
    selfOrigin: url.origin,
    headers: request.headers,
    rawBody,
    clientAddress: address,
  });
  return new Response(r.body, {
    status: r.status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...r.headers },
  });
}

export const action = ({ request, params, context }: Route.ActionArgs) =>
  adapt(request, params.city, clientAddress(context));
export const loader = ({ request, params, context }: Route.LoaderArgs) =>
  adapt(request, params.city, clientAddress(context));
