import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { faqEntries } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import type { StaffActor } from "~/features/services/services.server";
import { decodeCsvBytes, toCsv } from "~/lib/csv.server";
import { faqCsvRows, readFaqCsv, type FaqCsvProblem } from "./csv";

/**
 * FAQ CSV import and export (issue 16). An import is all-or-nothing in one transaction: a row whose
 * question is already registered replaces that entry, every other row is added; nothing is deleted.
 * One audit row records the counts.
 */
export type FaqImportResult = { ok: true; added: number; updated: number } | { ok: false; problems: FaqCsvProblem[] };

export async function importFaqCsv(
  db: Db,
  tenantId: string,
  bytes: Uint8Array,
  actor: StaffActor,
): Promise<FaqImportResult> {
  const { text, encoding } = decodeCsvBytes(bytes);
  const read = readFaqCsv(text);
  if (!read.ok) return read;
  return withTenant(db, tenantId, async (tx) => {
    const existing = await tx
      .select({ id: faqEntries.id, question: faqEntries.question })
      .from(faqEntries)
      .where(eq(faqEntries.tenantId, tenantId));
    const byQuestion = new Map(existing.map((e) => [e.question.normalize("NFKC"), e.id]));
    let added = 0;
    let updated = 0;
    for (const entry of read.entries) {
      const id = byQuestion.get(entry.question.normalize("NFKC"));
      if (id) {
        await tx
          .update(faqEntries)
          .set({ ...entry, updatedAt: new Date() })
          .where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.id, id)));
        updated++;
      } else {
        await tx.insert(faqEntries).values({ tenantId, ...entry });
        added++;
      }
    }
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "faq.import",
      targetType: "faq_entry",
      detail: { added, updated, encoding },
      ip: actor.ip,
    });
    return { ok: true as const, added, updated };
  });
}

/** The city's FAQ as CSV text (the caller encodes it in the chosen encoding). */
export async function faqCsvText(db: Db, tenantId: string): Promise<string> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(faqEntries)
      .where(eq(faqEntries.tenantId, tenantId))
      .orderBy(faqEntries.category, faqEntries.question),
  );
  return toCsv(faqCsvRows(rows));
}
