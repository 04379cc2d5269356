import { createDb } from "../../db/client.server";

/**
 * Connections for tests: `appDb` is the role the web app uses (bound by RLS); `ownerDb` owns the
 * schema and bypasses RLS, for arranging data across tenants and asserting what really is stored.
 */
export function testDbs() {
  const app = createDb(process.env.DATABASE_URL!, 5);
  const owner = createDb(process.env.DATABASE_OWNER_URL!, 2);
  return {
    appDb: app.db,
    ownerDb: owner.db,
    async close() {
      await app.sql.end({ timeout: 1 });
      await owner.sql.end({ timeout: 1 });
    },
  };
}
