import MiniSearch from "minisearch";
import { terms } from "./normalise";

/**
 * Which registered entries a resident's question is about (ADR 048). A MiniSearch index (BM25) over
 * the folded bigrams of each entry's question and variants ranks the entries; how much of the
 * question an entry covers decides the answer: one clear entry → its answer, several close ones →
 * up to three to choose from, none → the fallback. Nothing is ever answered from outside the entries.
 */
export type MatchableEntry = { id: string; question: string; variants: readonly string[] };

export type FaqMatch<E> = { kind: "one"; entry: E } | { kind: "several"; entries: E[] } | { kind: "none" };

/** Share of the question's terms an entry must hold to be offered, and to be answered outright. */
const OFFER = 0.6;
const ANSWER = 0.8;
export const MAX_SUGGESTIONS = 3;

export type FaqIndex<E extends MatchableEntry> = { search(text: string): FaqMatch<E> };

export function buildFaqIndex<E extends MatchableEntry>(entries: readonly E[]): FaqIndex<E> {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const mini = new MiniSearch<{ id: string; question: string; variants: string }>({
    fields: ["question", "variants"],
    tokenize: (text) => terms(text, { kanji: true }),
    processTerm: (term) => term,
  });
  mini.addAll(entries.map((e) => ({ id: e.id, question: e.question, variants: e.variants.join(" ") })));

  return {
    search(text) {
      const wanted = [...new Set(terms(text))];
      if (wanted.length === 0 || byId.size === 0) return { kind: "none" };
      const results = mini.search(wanted.join(" "), {
        tokenize: (q) => q.split(" "),
        processTerm: (term) => term,
        boost: { question: 1.5 },
        combineWith: "OR",
      });
      const scored = results
        .map((r) => ({ entry: byId.get(String(r.id))!, score: r.score, cover: r.queryTerms.length / wanted.length }))
        .filter((r) => r.entry && r.cover >= OFFER)
        .sort((a, b) => b.cover - a.cover || b.score - a.score);
      const [top, next] = scored;
      if (!top) return { kind: "none" };
      // Answered outright when it is the only entry offered, or covers clearly more than any other.
      if (!next || (top.cover >= ANSWER && next.cover < top.cover - 0.1)) return { kind: "one", entry: top.entry };
      return { kind: "several", entries: scored.slice(0, MAX_SUGGESTIONS).map((r) => r.entry) };
    },
  };
}
