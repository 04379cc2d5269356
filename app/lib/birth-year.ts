import { z } from "zod";
import { formatEraYear } from "./japan-time";
import { ja } from "./i18n/messages";

/**
 * Reading a birth year as people say and write it (ADR 033): an era chosen from buttons plus the
 * era year typed ("昭和" + "35"), or the whole year typed in any common spelling — "昭和35", "昭和35年",
 * "S35", "s.35", "昭35", "１９６０", "1960年", "昭和元年". Finding 1950 in a select that starts at this
 * year took about 77 flicks on a phone; this takes two taps and two digits.
 *
 * The offsets below only turn an era year into a western year; whether the resulting *date* really
 * lies in that era (昭和64年 ended on 7 January) is checked with ICU in `eraMatches`, so the table
 * never has to know the era boundaries.
 */

export const BIRTH_ERAS = [
  { key: "taisho", name: "大正", letter: "T", offset: 1911 },
  { key: "showa", name: "昭和", letter: "S", offset: 1925 },
  { key: "heisei", name: "平成", letter: "H", offset: 1988 },
  { key: "reiwa", name: "令和", letter: "R", offset: 2018 },
  { key: "meiji", name: "明治", letter: "M", offset: 1867 },
] as const;

export type BirthEraKey = (typeof BIRTH_ERAS)[number]["key"];

/** The era buttons on the form, most likely first for the residents who book by phone or web. */
export const ERA_CHOICES: { value: BirthEraKey | "western"; label: string }[] = [
  { value: "showa", label: "昭和" },
  { value: "heisei", label: "平成" },
  { value: "taisho", label: "大正" },
  { value: "reiwa", label: "令和" },
  { value: "western", label: "西暦" },
];

export type ParsedBirthYear = { year: number; era: BirthEraKey | null } | { error: string };

const TYPED = /^(明治|大正|昭和|平成|令和|明|大|昭|平|令|[mtshr])?\.?(\d{1,4}|元)年?$/i;

const MISSING = ja("booking:errors.birthYearMissing");
const NEED_ERA = ja("booking:errors.birthYearNeedEra");
const UNREADABLE = ja("booking:errors.birthYearUnreadable");

function eraOf(token: string): (typeof BIRTH_ERAS)[number] | undefined {
  const t = token.toUpperCase();
  return BIRTH_ERAS.find((e) => e.name === token || e.name[0] === token || e.letter === t);
}

/**
 * `eraField` is the chosen era button ("showa", "western" or empty); `yearField` what was typed.
 * An era written in the typed text wins over the button, since it is the more deliberate of the two.
 */
export function parseBirthYear(eraField: string | undefined, yearField: string | undefined): ParsedBirthYear {
  const text = (yearField ?? "").normalize("NFKC").replace(/\s+/g, "");
  if (!text) return { error: MISSING };
  const m = TYPED.exec(text);
  if (!m) return { error: UNREADABLE };
  const [, typedEra, digits] = m;
  const eraYear = digits === "元" ? 1 : Number(digits);
  const era = typedEra ? eraOf(typedEra) : BIRTH_ERAS.find((e) => e.key === eraField);
  if (digits!.length === 4 && digits !== "元") {
    // Four digits are a western year whatever button is pressed ("昭和" then "1950" is still 1950).
    if (typedEra) return { error: UNREADABLE };
    return eraYear >= 1868 ? { year: eraYear, era: null } : { error: UNREADABLE };
  }
  if (!era) return { error: NEED_ERA };
  if (eraYear < 1 || digits!.length > 2) return { error: UNREADABLE };
  return { year: era.offset + eraYear, era: era.key };
}

/**
 * True when the day "YYYY-MM-DD" is in the era the resident named (ICU decides, see formatEraYear):
 * 昭和64年1月10日 is refused rather than silently read as 平成元年.
 */
export function eraMatches(era: BirthEraKey | null, isoDate: string): boolean {
  if (!era) return true;
  const name = BIRTH_ERAS.find((e) => e.key === era)!.name;
  return formatEraYear(isoDate).startsWith(name);
}

export const ERA_MISMATCH = ja("booking:errors.eraMismatch");

const birthPart = (message: string, max: number) =>
  z
    .string({ error: () => message })
    .transform((v) => v.normalize("NFKC").trim())
    .pipe(z.string().regex(/^\d{1,4}$/, message))
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, message);

/** "YYYY-MM-DD" when year, month and day make a real calendar date, else null. */
export function composeBirthDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * 生年月日 as the forms send it (resident booking, my reservation, the phone-booking lookup): an
 * era button plus a typed year, and month and day selects. Spread into a z.object, then call
 * `birthDateOf` in its transform.
 */
export const birthDateFields = {
  birthEra: z.string().optional(),
  birthYear: z.string().optional(),
  birthMonth: birthPart(ja("booking:errors.birthMonth"), 12),
  birthDay: birthPart(ja("booking:errors.birthDay"), 31),
};

/** "YYYY-MM-DD", or adds the issue (on the field to fix) and returns null. */
export function birthDateOf(
  v: { birthEra?: string; birthYear?: string; birthMonth: number; birthDay: number },
  ctx: z.RefinementCtx,
): string | null {
  const year = parseBirthYear(v.birthEra, v.birthYear);
  if ("error" in year) {
    ctx.addIssue({ code: "custom", path: ["birthYear"], message: year.error });
    return null;
  }
  const birthDate = composeBirthDate(year.year, v.birthMonth, v.birthDay);
  if (!birthDate) {
    ctx.addIssue({ code: "custom", path: ["birthDay"], message: ja("booking:errors.birthDate") });
    return null;
  }
  if (!eraMatches(year.era, birthDate)) {
    ctx.addIssue({ code: "custom", path: ["birthYear"], message: ERA_MISMATCH });
    return null;
  }
  return birthDate;
}
