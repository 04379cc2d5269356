/**
 * The 5374 rule cell (area_days.csv), parsed. The grammar is Code for Japan's 5374 app's, so a city's
 * published files import unchanged:
 *   `月 木`         every Monday and Thursday
 *   `水2 水4`       the 2nd and 4th Wednesday of the month (1–5; `水5` only in months that have one)
 *   `金4:4 6 8`     the part after `:` limits the rule to those months (April, June, August)
 *   `20270105`     one dated collection (YYYYMMDD)
 *   `*1`           a note from remarks.csv (ID 1) shown with the category
 * Tokens are separated by half- or full-width spaces. An empty cell: no collection in that area.
 * Anything else is refused (the import reports the line), never guessed.
 */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type RuleToken =
  | { kind: "weekly"; weekday: Weekday }
  | { kind: "nth"; weekday: Weekday; nth: 1 | 2 | 3 | 4 | 5 }
  | { kind: "date"; date: string };

export type Rule = {
  tokens: RuleToken[];
  /** Months (1–12) the weekly/nth tokens apply in; null = every month. Dated tokens ignore it. */
  months: number[] | null;
  /** remarks.csv IDs referenced by `*N`. */
  remarks: string[];
};

export type RuleResult = { ok: true; rule: Rule } | { ok: false; error: string };

export const WEEKDAY_CODES = ["日", "月", "火", "水", "木", "金", "土"] as const;

const weekdayOfCode = (c: string): Weekday | null => {
  const i = (WEEKDAY_CODES as readonly string[]).indexOf(c);
  return i < 0 ? null : (i as Weekday);
};

/** Dated tokens outside these years are refused: a typo (20207101) must not become a silent no-op. */
export const DATED_YEAR_RANGE = { min: 2000, max: 2100 } as const;

function validYmd(token: string): string | null {
  const y = Number(token.slice(0, 4));
  const m = Number(token.slice(4, 6));
  const d = Number(token.slice(6, 8));
  if (y < DATED_YEAR_RANGE.min || y > DATED_YEAR_RANGE.max || m < 1 || m > 12 || d < 1) return null;
  const iso = `${token.slice(0, 4)}-${token.slice(4, 6)}-${token.slice(6, 8)}`;
  const check = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(check.getTime()) && check.toISOString().slice(0, 10) === iso ? iso : null;
}

export function parseRule(cell: string): RuleResult {
  const text = cell.normalize("NFKC").trim();
  const empty: Rule = { tokens: [], months: null, remarks: [] };
  if (!text) return { ok: true, rule: empty };
  const colon = text.indexOf(":");
  const daysPart = colon < 0 ? text : text.slice(0, colon);
  let months: number[] | null = null;
  if (colon >= 0) {
    months = [];
    for (const m of text
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .filter(Boolean)) {
      const n = /^\d{1,2}$/.test(m) ? Number(m) : NaN;
      if (!(n >= 1 && n <= 12)) return { ok: false, error: `月の指定「${m}」は1〜12ではありません` };
      if (!months.includes(n)) months.push(n);
    }
    if (!months.length) return { ok: false, error: "「:」の後に月がありません" };
  }
  const rule: Rule = { tokens: [], months, remarks: [] };
  for (const token of daysPart.split(/\s+/).filter(Boolean)) {
    const remark = /^\*(\w+)$/.exec(token);
    if (remark) {
      rule.remarks.push(remark[1]!);
      continue;
    }
    if (/^\d{8}$/.test(token)) {
      const date = validYmd(token);
      if (!date) return { ok: false, error: `日付「${token}」は存在しない日付か範囲外です` };
      rule.tokens.push({ kind: "date", date });
      continue;
    }
    const single = weekdayOfCode(token);
    if (single !== null) {
      rule.tokens.push({ kind: "weekly", weekday: single });
      continue;
    }
    // 「水2」 (5374's order); 「2水」 as some cities write it is read the same way.
    const a = /^(\D)([1-5])$/.exec(token);
    const b = /^([1-5])(\D)$/.exec(token);
    const weekday = weekdayOfCode(a?.[1] ?? b?.[2] ?? "");
    if (weekday !== null) {
      rule.tokens.push({ kind: "nth", weekday, nth: Number(a?.[2] ?? b?.[1]) as 1 | 2 | 3 | 4 | 5 });
      continue;
    }
    return { ok: false, error: `「${token}」は曜日・日付の書き方として読めません` };
  }
  if (months && !rule.tokens.some((t) => t.kind !== "date"))
    return { ok: false, error: "月の指定がありますが、曜日の指定がありません" };
  return { ok: true, rule };
}

/** Whether the rule (without exceptions) collects on a calendar date "YYYY-MM-DD". */
export function ruleMatches(rule: Rule, date: string): boolean {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const nthOfMonth = Math.floor((d - 1) / 7) + 1;
  const monthOk = !rule.months || rule.months.includes(m);
  for (const t of rule.tokens) {
    if (t.kind === "date") {
      if (t.date === date) return true;
    } else if (monthOk && t.weekday === weekday && (t.kind === "weekly" || t.nth === nthOfMonth)) return true;
  }
  return false;
}
