import { and, asc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { faqEntries } from "#db/schema/index";
import { faqIndex } from "./answers.server";

/**
 * The city's public FAQ page (issue 16): published entries by category, and a search with the same
 * matching as LINE (one clear match, up to 3 close ones, or none). No personal data: nothing is kept
 * of what was searched.
 */
export type PublicFaqEntry = { id: string; question: string; answer: string; category: string };
export type PublicFaq = {
  categories: { name: string; entries: PublicFaqEntry[] }[];
  results: PublicFaqEntry[] | null;
};

export async function publicFaq(
  db: Db,
  tenantId: string,
  opts: { q?: string | null; category?: string | null },
): Promise<PublicFaq> {
  const q = opts.q?.trim().slice(0, 200);
  const [rows, index] = await withTenant(db, tenantId, async (tx) => [
    await tx
      .select({
        id: faqEntries.id,
        question: faqEntries.question,
        answer: faqEntries.answer,
        category: faqEntries.category,
        variants: faqEntries.variants,
      })
      .from(faqEntries)
      .where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.published, true)))
      .orderBy(asc(faqEntries.category), asc(faqEntries.question)),
    // The same cached index LINE uses: built once per change of the entries, not per search.
    q ? await faqIndex(tx, tenantId) : null,
  ]);
  const plain = (e: PublicFaqEntry): PublicFaqEntry => ({
    id: e.id,
    question: e.question,
    answer: e.answer,
    category: e.category,
  });
  const byCategory = new Map<string, PublicFaqEntry[]>();
  for (const r of rows) {
    if (opts.category && r.category !== opts.category) continue;
    byCategory.set(r.category, [...(byCategory.get(r.category) ?? []), plain(r)]);
  }
  let results: PublicFaqEntry[] | null = null;
  if (q && index) {
    const match = index.search(q);
    results = match.kind === "one" ? [plain(match.entry)] : match.kind === "several" ? match.entries.map(plain) : [];
  }
  return { categories: [...byCategory].map(([name, entries]) => ({ name, entries })), results };
}
