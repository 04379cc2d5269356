import { contactLines, type CityContact } from "~/lib/city-contact";

/**
 * The LINE texts that carry the city's 問い合わせ窓口 (ADR 031). LINE shows the numbers in a text
 * message as tappable links, so plain text is enough; hours go beside each number. Pure, so the
 * wording is easy to test.
 */
type City = { name: string; contact: CityContact | null };

/** The 問い合わせ tile's answer (also the end of the free-text fallback). */
export function contactReplyText(city: City): string {
  const lines = contactLines(city.contact);
  if (!lines.length) return `お問い合わせは、${city.name}の市役所・役場の担当窓口へお願いいたします。`;
  return [`お問い合わせは${city.name}の窓口へお電話ください。`, "", ...lines].join("\n");
}

/**
 * The 避難所 tile's and a shared location's answer until the shelter search exists: the city's
 * disaster page and number (falling back to its web page and first number), and 119/110.
 */
export function disasterReplyText(city: City): string {
  const c = city.contact;
  const page = c?.disasterUrl ?? c?.webUrl ?? null;
  const phone = c?.disasterPhone ?? c?.phones[0]?.number ?? null;
  return [
    "近くの避難所をこのアカウントでお知らせする機能は、現在準備中です。",
    page
      ? `避難所の開設状況や災害の情報は、${city.name}の防災情報のページでご確認ください。\n${page}`
      : `避難所の開設状況や災害の情報は、${city.name}のホームページや防災無線、テレビ・ラジオでご確認ください。`,
    ...(phone ? [`防災についてのお問い合わせ：${phone}`] : []),
    "命に関わる場合は、ためらわず119番・110番へ。",
  ].join("\n");
}
