import { databaseReachable } from "~/features/health/health.server";
import { retryAfterHeader } from "~/lib/db-unavailable.server";

// Says nothing about tenants; 503 with Retry-After (ADR 029) when the database does not answer.
export async function loader() {
  const ok = await databaseReachable();
  return Response.json({ ok }, ok ? {} : { status: 503, headers: retryAfterHeader() });
}
