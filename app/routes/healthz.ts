import { sql } from "drizzle-orm";
import { getDb } from "#db/client.server";

// Liveness + DB reachability for load balancers. Says nothing about tenants.
export async function loader() {
  try {
    await getDb().execute(sql`select 1`);
    return Response.json({ ok: true });
  } catch {
    return Response.json({ ok: false }, { status: 503 });
  }
}
