import { sql } from "drizzle-orm";
import { getDb } from "#db/client.server";

/** Liveness + database reachability, for load balancers and the demo's start-up wait. */
export async function databaseReachable(): Promise<boolean> {
  try {
    await getDb().execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
