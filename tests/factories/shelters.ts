import { readFileSync } from "node:fs";
import type { Db } from "#db/client.server";
import { importShelters } from "~/features/shelters/import.server";
import { setMunicipalityCode } from "~/features/shelters/shelters.server";

/**
 * The demo city's shelters (tests/fixtures/shelters/kinokawa-demo.csv, GSI layout, municipality
 * 30208), imported through the staff page's own import. Shared by tests and db/seed.ts.
 */
export const SHELTER_FIXTURE = new URL("../fixtures/shelters/kinokawa-demo.csv", import.meta.url);
export const FIXTURE_MUNICIPALITY = "302082";

export const shelterFixtureBytes = () => new Uint8Array(readFileSync(SHELTER_FIXTURE));

export async function importShelterFixture(db: Db, tenantId: string, opts: { now?: Date } = {}) {
  await setMunicipalityCode(db, tenantId, FIXTURE_MUNICIPALITY, { staffUserId: null });
  const out = await importShelters(db, tenantId, shelterFixtureBytes(), { staffUserId: null }, opts.now);
  if (!out.ok) throw new Error(`importShelterFixture: ${JSON.stringify(out.problems)}`);
  return out;
}
