import { z } from "zod";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { EMERGENCY_CATEGORY } from "./categories";
import { storePhoto } from "./photo-store.server";
import { processPhoto } from "./photos.server";
import { createReport, reportSettingsOf } from "./reports.server";

/**
 * The web form's report (issue 17, `/c/<city>/report`, no JavaScript needed): the place as area +
 * landmark (no map), one optional photo, an optional e-mail (kept only to answer the resident).
 * Errors are catalogue keys (`reports:web.error.*`) so the page shows them in the resident's language.
 */
export type WebReportInput = {
  category: string;
  area: string;
  landmark: string;
  description: string;
  email: string;
  photo: Uint8Array | null;
};
export type WebReportResult =
  { ok: true; number: string; emergency: boolean } | { ok: false; errors: Record<string, string> };

const email = z.email();

export async function submitWebReport(
  db: Db,
  tenant: { id: string; areas: readonly string[] },
  input: WebReportInput,
): Promise<WebReportResult> {
  const errors: Record<string, string> = {};
  const settings = await withTenant(db, tenant.id, (tx) => reportSettingsOf(tx, tenant.id));
  const category = settings.categories.find((c) => c === input.category);
  if (!category) errors.category = "reports:web.error.category";
  const area = input.area ? tenant.areas.find((a) => a === input.area) : null;
  if (input.area && !area) errors.area = "reports:web.error.area";
  const landmark = input.landmark.normalize("NFKC").trim();
  if (!landmark || landmark.length > 200) errors.landmark = "reports:web.error.landmark";
  const description = input.description.normalize("NFKC").trim();
  if (description.length > 500) errors.description = "reports:web.error.description";
  const mail = input.email.normalize("NFKC").trim();
  if (mail && (mail.length > 254 || !email.safeParse(mail).success)) errors.email = "reports:web.error.email";
  let photo = null;
  if (input.photo?.length) {
    const processed = await processPhoto(input.photo);
    if (processed.ok) photo = processed.photo;
    else errors.photo = `reports:web.error.photo.${processed.problem}`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const report = await withTenant(db, tenant.id, async (tx) => {
    const r = await createReport(tx, tenant.id, {
      category: category!,
      point: null,
      area: area ?? null,
      landmark,
      description,
      source: "web",
      reporterEmail: mail || null,
    });
    if (photo) await storePhoto(tx, tenant.id, photo, { reportId: r.id, kind: "report" });
    return r;
  });
  return { ok: true, number: report.number, emergency: category === EMERGENCY_CATEGORY };
}

export async function webFormOptions(db: Db, tenantId: string) {
  return (await withTenant(db, tenantId, (tx) => reportSettingsOf(tx, tenantId))).categories;
}
