/**
 * Places a simulated resident can share with 位置情報を送る. The demo cities are fictional, so the
 * points only need to be plausible (near the real towns their district names come from); the
 * shelter search will measure distances from them, so each city's points are spread out.
 */
export type PresetPlace = { id: string; title: string; address: string; latitude: number; longitude: number };

const PLACES: Record<string, PresetPlace[]> = {
  "kinokawa-demo": [
    {
      id: "city-hall",
      title: "紀ノ川デモ市役所",
      address: "和歌山県紀ノ川デモ市打田（架空）",
      latitude: 34.2689,
      longitude: 135.3626,
    },
    {
      id: "kokawa-station",
      title: "粉河駅前",
      address: "和歌山県紀ノ川デモ市粉河（架空）",
      latitude: 34.2797,
      longitude: 135.4063,
    },
    {
      id: "kishigawa",
      title: "貴志川の住宅地",
      address: "和歌山県紀ノ川デモ市貴志川（架空）",
      latitude: 34.2276,
      longitude: 135.3322,
    },
  ],
  "minato-demo": [
    {
      id: "town-hall",
      title: "みなとデモ町役場",
      address: "静岡県みなとデモ町本町（架空）",
      latitude: 34.8675,
      longitude: 138.3183,
    },
    {
      id: "port",
      title: "みなと漁港",
      address: "静岡県みなとデモ町港（架空）",
      latitude: 34.8609,
      longitude: 138.3313,
    },
    {
      id: "yamate",
      title: "山手の高台",
      address: "静岡県みなとデモ町山手（架空）",
      latitude: 34.8821,
      longitude: 138.2978,
    },
  ],
};

// A city added later (e.g. through the vendor console) still gets one point, so the button works.
const FALLBACK: PresetPlace[] = [
  {
    id: "default",
    title: "仮の地点（東京駅）",
    address: "東京都千代田区丸の内一丁目",
    latitude: 35.6812,
    longitude: 139.7671,
  },
];

export function placesFor(citySlug: string): PresetPlace[] {
  return PLACES[citySlug] ?? FALLBACK;
}

export function findPlace(citySlug: string, id: string): PresetPlace | undefined {
  return placesFor(citySlug).find((p) => p.id === id);
}
