import { HAZARD_LABELS, type Hazard } from "./hazards";

/**
 * The 防災 broadcast offered when disaster mode starts: links to the composer prefilled, one for the
 * friends who chose the 防災 topic and one for every friend (ADR 058: the city decides). Pure.
 */
export function disasterBroadcastLinks(city: { slug: string; name: string }, hazard: Hazard) {
  const label = HAZARD_LABELS[hazard];
  const base = `/c/${city.slug}/admin/broadcasts/new`;
  const q = (extra: [string, string][]) =>
    `${base}?${new URLSearchParams([
      ["title", `【防災】${label}の避難情報`],
      [
        "text",
        `【${city.name}】${label}の災害に備えてください。\n開いている避難所は、このトークで「避難所」と送るか、位置情報を送ると確認できます。\n命が危ないときは、すぐに119番に電話してください。`,
      ],
      ...extra,
    ])}`;
  return { disasterTopic: q([["topics", "disaster"]]), everyone: q([]) };
}
