import type { CityContact } from "~/lib/city-contact";
import { t } from "~/lib/i18n";

/**
 * The texts that carry the city's 問い合わせ窓口 (ADR 031) in the friend's language. Numbers, labels
 * and hours are the city's own words; LINE shows the numbers as tappable links. Pure.
 */
type City = { name: string; contact: CityContact | null };

export function contactReplyText(lang: string, city: City): string {
  const c = city.contact;
  const lines = [
    ...(c?.phones ?? []).map((p) => `${p.label} ${p.number}（${p.hours}）`),
    ...(c?.webUrl ? [`${t(lang, "conversation:contact.web")} ${c.webUrl}`] : []),
  ];
  if (!lines.length) return t(lang, "conversation:contact.none", { city: city.name });
  return [t(lang, "conversation:contact.intro", { city: city.name }), "", ...lines].join("\n");
}

/** The 避難所 tile's and a shared location's answer until the shelter search exists. */
export function disasterReplyText(lang: string, city: City): string {
  const c = city.contact;
  const page = c?.disasterUrl ?? c?.webUrl ?? null;
  const phone = c?.disasterPhone ?? c?.phones[0]?.number ?? null;
  return [
    t(lang, "conversation:disaster.preparing"),
    page
      ? t(lang, "conversation:disaster.page", { city: city.name, url: page })
      : t(lang, "conversation:disaster.noPage", { city: city.name }),
    ...(phone ? [t(lang, "conversation:disaster.phone", { phone })] : []),
    t(lang, "conversation:disaster.emergency"),
  ].join("\n");
}
