import type { Db } from "#db/client.server";
import type { TenantStatus } from "#db/schema/index";
import type { CityContact } from "~/lib/city-contact";
import { createTenant } from "~/features/tenants/tenants.server";

let seq = 0;

/** A city through the same use-case the vendor console calls. Shared by tests and db/seed.ts. */
export async function makeTenant(
  db: Db,
  overrides: Partial<{
    name: string;
    slug: string;
    prefecture: string;
    population: number;
    areas: string[];
    status: TenantStatus;
    contact: CityContact | null;
  }> = {},
) {
  seq++;
  const slug = overrides.slug ?? `city-${Date.now().toString(36)}-${seq}`;
  const result = await createTenant(db, {
    name: overrides.name ?? `テスト市${seq}`,
    slug,
    prefecture: (overrides.prefecture ?? "和歌山県") as never,
    population: overrides.population ?? 50_000,
    areas: overrides.areas ?? ["北地区", "南地区"],
    status: overrides.status ?? "active",
    contact: overrides.contact ?? null,
  });
  if (!result.ok) throw new Error(`makeTenant: ${result.message}`);
  return result.tenant;
}
