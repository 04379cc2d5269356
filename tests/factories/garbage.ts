import { readdirSync, readFileSync } from "node:fs";
import type { Db } from "#db/client.server";
import { savePending } from "~/features/garbage/garbage.server";
import type { ImportInput } from "~/features/garbage/import-5374.server";
import { previewImport } from "~/features/garbage/import.server";

/**
 * The demo city's 5374 set (tests/fixtures/garbage/, shaped like a real city's published files),
 * imported through the same preview + save the staff page uses. Shared by tests and db/seed.ts.
 */
const FIXTURES = new URL("../fixtures/garbage/", import.meta.url);

export function garbageFixtureFiles(): ImportInput {
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(FIXTURES))
    if (name.endsWith(".csv")) files[name] = readFileSync(new URL(name, FIXTURES));
  return files as ImportInput;
}

export async function importGarbageFixture(
  db: Db,
  tenant: { id: string; slug: string; areas: string[] },
  opts: { files?: ImportInput; staffUserId?: string | null; extendAreas?: boolean; now?: Date } = {},
) {
  const preview = await previewImport(db, tenant, opts.files ?? garbageFixtureFiles(), opts.now ?? new Date());
  if (!preview.ok) throw new Error(`importGarbageFixture: ${JSON.stringify(preview.problems)}`);
  const saved = await savePending(
    db,
    tenant,
    { extendAreas: opts.extendAreas ?? true, pendingAt: preview.preview.pendingAt },
    { staffUserId: opts.staffUserId ?? null },
  );
  if (!saved.ok) throw new Error(`importGarbageFixture: ${saved.message}`);
  return preview.preview;
}
