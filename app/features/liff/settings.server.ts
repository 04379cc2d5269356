import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import type { LineAgeBand, LineGender, Tenant } from "#db/schema/index";
import {
  eraseFriendPreferences,
  getFriend,
  saveFriendPreferences,
  type FriendPreferences,
} from "~/features/line/friends.server";
import { AGE_OPTIONS, GENDER_OPTIONS } from "~/features/line/survey-messages";
import { i18n, t } from "~/lib/i18n";

/**
 * 受信設定 (LIFF page): a verified LINE friend views, changes or erases what they told the city —
 * the language of their messages, gender, age band, area and the topics they want news about. The LINE user always comes from the
 * verified `mdg_line` cookie; a form can only choose among the city's own options.
 */

export type SettingsCity = Pick<Tenant, "id" | "areas" | "topics">;

export type SettingsPage = { friend: false } | { friend: true; following: boolean; prefs: FriendPreferences };

export async function loadSettings(db: Db, city: SettingsCity, lineUserId: string): Promise<SettingsPage> {
  const f = await withTenant(db, city.id, (tx) => getFriend(tx, city.id, lineUserId));
  if (!f) return { friend: false };
  return {
    friend: true,
    following: f.status === "following",
    prefs: { language: f.language, gender: f.gender, ageBand: f.ageBand, area: f.area, topics: f.topics },
  };
}

const GENDERS = new Set<string>(GENDER_OPTIONS.map((o) => o.value));
const AGES = new Set<string>(AGE_OPTIONS.map((o) => o.value));

export type SettingsParse = { ok: true; prefs: FriendPreferences } | { ok: false; errors: Record<string, string> };

/**
 * The form, checked against the city's lists: an empty choice means "not answered" (null), and an
 * area or topic the city does not offer is an error, never stored. The language is one we ship
 * (required: the page always offers one). Errors are in the page's language `lang`.
 */
export function parseSettingsForm(form: FormData, city: Pick<Tenant, "areas" | "topics">, lang = "ja"): SettingsParse {
  const str = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : "");
  const errors: Record<string, string> = {};
  const gender = str("gender");
  const ageBand = str("ageBand");
  const area = str("area");
  const topics = form.getAll("topics").filter((v): v is string => typeof v === "string");
  // A form from before the language field (an open tab) has none: the stored language stays.
  const language = form.has("language") ? i18n.known(str("language")) : undefined;
  if (language === null) errors.language = t(lang, "line:errors.language");
  if (gender && !GENDERS.has(gender)) errors.gender = t(lang, "line:errors.gender");
  if (ageBand && !AGES.has(ageBand)) errors.ageBand = t(lang, "line:errors.age");
  if (area && !city.areas.includes(area)) errors.area = t(lang, "line:errors.area");
  const known = new Set(city.topics.map((tp) => tp.key));
  if (topics.some((tp) => !known.has(tp))) errors.topics = t(lang, "line:errors.topics");
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    prefs: {
      ...(language ? { language } : {}),
      gender: (gender || null) as LineGender | null,
      ageBand: (ageBand || null) as LineAgeBand | null,
      area: area || null,
      topics,
    },
  };
}

/** false when the LINE user is not (or no longer) a friend row of this city. */
export async function saveSettings(
  db: Db,
  tenantId: string,
  lineUserId: string,
  prefs: FriendPreferences,
): Promise<boolean> {
  return (await withTenant(db, tenantId, (tx) => saveFriendPreferences(tx, tenantId, lineUserId, prefs))) !== null;
}

export async function eraseSettings(db: Db, tenantId: string, lineUserId: string): Promise<boolean> {
  return (await withTenant(db, tenantId, (tx) => eraseFriendPreferences(tx, tenantId, lineUserId))) !== null;
}
