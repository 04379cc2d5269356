import { sql } from "drizzle-orm";
import { pgPolicy } from "drizzle-orm/pg-core";

/**
 * The row-level-security policy every tenant-owned table carries. The app role sees and writes a row
 * only when its tenant_id equals the transaction-local setting that withTenant() sets; without that
 * setting it sees nothing. This is defence in depth: queries still filter by tenant_id themselves.
 */
export const tenantIsolation = (table: string) =>
  pgPolicy(`${table}_tenant_isolation`, {
    as: "permissive",
    for: "all",
    using: sql`tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid`,
    withCheck: sql`tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid`,
  });
