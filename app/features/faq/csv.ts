import { parse } from "csv-parse/sync";
import { faqEntrySchema, type FaqEntryInput } from "./faq.schemas";

/**
 * The FAQ as a CSV (issue 16): 分野, 質問, 回答, 言いかえ (「;」 between variants), 公開 (公開 / 非公開).
 * Reading is all-or-nothing: broken quoting or any bad row refuses the whole file, every problem with
 * its line number (the header is line 1), so staff fix the file once. Pure: decoding is the caller's
 * (decodeCsvBytes in app/lib/csv.server.ts), writing goes through toCsv there too.
 */
export const FAQ_CSV_HEADER = ["分野", "質問", "回答", "言いかえ", "公開"] as const;
export const MAX_FAQ_CSV_ROWS = 5_000;

export type FaqCsvProblem = { line: number; message: string };
export type FaqCsvResult = { ok: true; entries: FaqEntryInput[] } | { ok: false; problems: FaqCsvProblem[] };

type Column = "category" | "question" | "answer" | "variants" | "published";
const HEADERS: Record<string, Column> = {
  分野: "category",
  カテゴリ: "category",
  カテゴリー: "category",
  category: "category",
  質問: "question",
  question: "question",
  回答: "answer",
  answer: "answer",
  言いかえ: "variants",
  言い換え: "variants",
  別の聞き方: "variants",
  variants: "variants",
  公開: "published",
  published: "published",
};
const REQUIRED: Column[] = ["category", "question", "answer"];
const normaliseHeader = (h: string) => h.normalize("NFKC").toLowerCase().replace(/\s+/g, "");

type Parsed = { record: string[]; info: { lines: number } };

function publishedOf(cell: string): boolean | null {
  const v = cell.normalize("NFKC").trim().toLowerCase();
  if (["", "公開", "1", "true", "yes", "はい", "○"].includes(v)) return true;
  if (["非公開", "0", "false", "no", "いいえ", "×"].includes(v)) return false;
  return null;
}

export function readFaqCsv(text: string): FaqCsvResult {
  let records: Parsed[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as Parsed[];
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === "number" ? (e as { lines: number }).lines : 1;
    return {
      ok: false,
      problems: [{ line, message: 'CSVの形式が正しくありません。引用符（"）の閉じ忘れなどがないか確認してください。' }],
    };
  }
  const [header, ...rows] = records;
  if (!header)
    return { ok: false, problems: [{ line: 1, message: "ファイルが空です。1行目に見出しを書いてください。" }] };
  const columns = header.record.map((h) => HEADERS[normaliseHeader(h)] ?? null);
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length) {
    const names = missing.map((c) => FAQ_CSV_HEADER[["category", "question", "answer"].indexOf(c)]);
    return { ok: false, problems: [{ line: 1, message: `見出し行に${names.join("、")}の列がありません。` }] };
  }
  if (rows.length === 0) return { ok: false, problems: [{ line: 2, message: "取り込む質問がありません。" }] };
  if (rows.length > MAX_FAQ_CSV_ROWS)
    return { ok: false, problems: [{ line: 1, message: `一度に取り込めるのは${MAX_FAQ_CSV_ROWS}件までです。` }] };

  const problems: FaqCsvProblem[] = [];
  const entries: FaqEntryInput[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of rows) {
    const cell = (c: Column) => {
      const i = columns.indexOf(c);
      return i < 0 ? "" : (record[i] ?? "");
    };
    const published = publishedOf(cell("published"));
    if (published === null)
      problems.push({ line: info.lines, message: "公開の列は「公開」か「非公開」にしてください。" });
    const parsed = faqEntrySchema.safeParse({
      category: cell("category"),
      question: cell("question"),
      answer: cell("answer"),
      variants: cell("variants"),
      published: published ? "on" : "",
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ line: info.lines, message: issue.message });
      continue;
    }
    const key = parsed.data.question.normalize("NFKC");
    const earlier = seen.get(key);
    if (earlier) problems.push({ line: info.lines, message: `同じ質問が${earlier}行目にもあります。` });
    else seen.set(key, info.lines);
    entries.push(parsed.data);
  }
  return problems.length ? { ok: false, problems } : { ok: true, entries };
}

export function faqCsvRows(
  entries: readonly { category: string; question: string; answer: string; variants: string[]; published: boolean }[],
): string[][] {
  return [
    [...FAQ_CSV_HEADER],
    ...entries.map((e) => [e.category, e.question, e.answer, e.variants.join(";"), e.published ? "公開" : "非公開"]),
  ];
}
