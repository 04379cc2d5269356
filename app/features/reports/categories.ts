import type { ReportBounds } from "#db/schema/reports";

/**
 * Report categories, states and places (issue 17): pure, so the dialog, the staff pages, Open311 and
 * the tests share one list. Categories are the city's own Japanese (like FAQ entries); states are
 * FixMyStreet's, stored by code and shown through the catalogue (residents) or STATE_LABELS (staff).
 */
export const DEFAULT_CATEGORIES = ["道路の穴・段差", "街灯の故障", "公園の遊具", "河川", "不法投棄", "その他"] as const;

/** Answered at once with the city's emergency number, and still recorded. */
export const EMERGENCY_CATEGORY = "道路の陥没で危険";

export const STATES = [
  "received",
  "checking",
  "planned",
  "in_progress",
  "fixed",
  "not_possible",
  "not_ours",
  "duplicate",
] as const;
export type ReportState = (typeof STATES)[number];

export const STATE_LABELS: Record<ReportState, string> = {
  received: "受付",
  checking: "確認中",
  planned: "対応予定",
  in_progress: "対応中",
  fixed: "完了",
  not_possible: "対応できません",
  not_ours: "管轄外",
  duplicate: "重複",
};

/** States that close a report: it is no longer offered as 「同じ場所の通報」 and Open311 says closed. */
export const CLOSED_STATES: readonly ReportState[] = ["fixed", "not_possible", "not_ours", "duplicate"];
export const isState = (s: string): s is ReportState => (STATES as readonly string[]).includes(s);
export const isOpen = (s: string) => !(CLOSED_STATES as readonly string[]).includes(s);

export function cityCategories(own: readonly string[] | null | undefined): string[] {
  const list = own?.length ? [...own] : [...DEFAULT_CATEGORIES];
  return list.includes(EMERGENCY_CATEGORY) ? list : [EMERGENCY_CATEGORY, ...list];
}

export type Point = { latitude: number; longitude: number };

/** Inside the city's box; with no box set, anywhere in Japan's rough extent (a typo's 0,0 is not). */
export function insideBounds(p: Point, b: ReportBounds | null | undefined): boolean {
  const box = b ?? { south: 20, west: 122, north: 46, east: 154 };
  return p.latitude >= box.south && p.latitude <= box.north && p.longitude >= box.west && p.longitude <= box.east;
}

/** Metres between two points (haversine; plenty for "within about 50 m"). */
export function distanceMetres(a: Point, b: Point): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLng = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

export const NEARBY_METRES = 50;

// No 0/O, 1/I/L: read out over the phone without mistakes.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** 受付番号: R- and 7 characters, random (unguessable, so it leaks nothing about volumes). */
export function newReportNumber(random: (n: number) => Uint8Array): string {
  const bytes = random(7);
  return `R-${[...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("")}`;
}

/** A map link for staff (OpenStreetMap: no key, no tracking script). */
export const mapUrl = (p: Point) =>
  `https://www.openstreetmap.org/?mlat=${p.latitude}&mlon=${p.longitude}#map=18/${p.latitude}/${p.longitude}`;
