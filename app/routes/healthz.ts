import { databaseReachable } from "~/features/health/health.server";

// Says nothing about tenants; 503 when the database does not answer.
export async function loader() {
  const ok = await databaseReachable();
  return Response.json({ ok }, { status: ok ? 200 : 503 });
}
