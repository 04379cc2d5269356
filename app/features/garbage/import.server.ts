import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { tokyoDateOf } from "~/lib/japan-time";
import type { GarbageDataset } from "./dataset";
import { listExceptions, readPending, storePending } from "./garbage.server";
import { parse5374, type ImportInput, type ImportProblem } from "./import-5374.server";
import { nextDates } from "./schedule";

/**
 * The staff import: read the files → (refusal with every problem and its line) or a preview of what
 * would change and the next dates for one area, stored as pending until 保存 (savePending).
 */
export type ImportPreview = {
  pendingAt: string;
  counts: { areas: number; categories: number; items: number; centers: number };
  areasAdded: string[];
  areasRemoved: string[];
  areasChanged: string[];
  categoriesAdded: string[];
  categoriesRemoved: string[];
  /** 5374 areas the city's area list lacks (saved only with 「地区に追加する」). */
  notCityAreas: string[];
  /** City areas the dataset does not cover (their friends get 「データがありません」). */
  cityAreasWithout: string[];
  sample: { area: string; next: { category: string; date: string | null }[] } | null;
};

export type PreviewResult = { ok: true; preview: ImportPreview } | { ok: false; problems: ImportProblem[] };

export function diffDatasets(before: GarbageDataset, after: GarbageDataset) {
  const names = (d: GarbageDataset) => d.areas.map((a) => a.name);
  const labels = (d: GarbageDataset) => d.categories.map((c) => c.label);
  const old = new Map(before.areas.map((a) => [a.name, a]));
  return {
    areasAdded: names(after).filter((n) => !old.has(n)),
    areasRemoved: names(before).filter((n) => !names(after).includes(n)),
    areasChanged: after.areas
      .filter((a) => {
        const o = old.get(a.name);
        return o && (o.center !== a.center || JSON.stringify(o.rules) !== JSON.stringify(a.rules));
      })
      .map((a) => a.name),
    categoriesAdded: labels(after).filter((l) => !labels(before).includes(l)),
    categoriesRemoved: labels(before).filter((l) => !labels(after).includes(l)),
  };
}

export async function previewImport(
  db: Db,
  tenant: { id: string; areas: string[] },
  files: ImportInput,
  now: Date,
  /** The area whose next dates the preview shows (default: the first in the file). */
  sampleArea?: string | null,
): Promise<PreviewResult> {
  const current = await withTenant(db, tenant.id, async (tx) => ({
    row: await readPending(tx, tenant.id),
    exceptions: await listExceptions(tx, tenant.id),
  }));
  const before = current.row?.importedAt
    ? current.row.data
    : { categories: [], areas: [], centers: [], remarks: {}, items: [] };
  const parsed = parse5374(files, before.categories);
  if (!parsed.ok) return parsed;
  const dataset = parsed.dataset;
  await storePending(db, tenant.id, dataset);
  const stored = await withTenant(db, tenant.id, (tx) => readPending(tx, tenant.id));
  const area = dataset.areas.find((a) => a.name === sampleArea) ?? dataset.areas[0];
  const sample = area
    ? {
        area: area.name,
        next: nextDates({ dataset, exceptions: current.exceptions }, area, tokyoDateOf(now)).map((n) => ({
          category: n.category.label,
          date: n.date,
        })),
      }
    : null;
  return {
    ok: true,
    preview: {
      pendingAt: stored!.pendingAt!.toISOString(),
      counts: {
        areas: dataset.areas.length,
        categories: dataset.categories.length,
        items: dataset.items.length,
        centers: dataset.centers.length,
      },
      ...diffDatasets(before, dataset),
      notCityAreas: dataset.areas.map((a) => a.name).filter((n) => !tenant.areas.includes(n)),
      cityAreasWithout: tenant.areas.filter((n) => !dataset.areas.some((a) => a.name === n)),
      sample,
    },
  };
}
