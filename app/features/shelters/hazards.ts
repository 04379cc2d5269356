/**
 * The eight hazards of the national data (国土地理院 指定緊急避難場所データ), in its column order,
 * and the live statuses a city sets. Client-safe: the staff pages, the resident page and LINE share
 * these keys; residents see the labels through the catalogue (`shelters:hazard.*`, `shelters:status.*`).
 */
export const HAZARDS = [
  "flood",
  "landslide",
  "storm_surge",
  "earthquake",
  "tsunami",
  "fire",
  "inland_flood",
  "volcano",
] as const;
export type Hazard = (typeof HAZARDS)[number];

/** The GSI CSV's column headings for each hazard (with the shorter forms cities use in their own files). */
export const HAZARD_HEADINGS: Record<Hazard, readonly string[]> = {
  flood: ["洪水"],
  landslide: ["崖崩れ、土石流及び地滑り", "崖崩れ等", "崖崩れ、土石流及び地すべり", "土砂災害"],
  storm_surge: ["高潮"],
  earthquake: ["地震"],
  tsunami: ["津波"],
  fire: ["大規模な火事", "大規模火災"],
  inland_flood: ["内水氾濫"],
  volcano: ["火山現象"],
};

/** Staff-facing Japanese labels (staff pages are Japanese inline). */
export const HAZARD_LABELS: Record<Hazard, string> = {
  flood: "洪水",
  landslide: "崖崩れ等",
  storm_surge: "高潮",
  earthquake: "地震",
  tsunami: "津波",
  fire: "大規模な火事",
  inland_flood: "内水氾濫",
  volcano: "火山現象",
};

export const isHazard = (s: unknown): s is Hazard =>
  typeof s === "string" && (HAZARDS as readonly string[]).includes(s);

export const SHELTER_STATUSES = ["unopened", "open", "crowded", "full", "closed"] as const;
export type ShelterStatus = (typeof SHELTER_STATUSES)[number];
export const STATUS_LABELS: Record<ShelterStatus, string> = {
  unopened: "未開設",
  open: "開設",
  crowded: "混雑",
  full: "満",
  closed: "閉鎖",
};
export const isShelterStatus = (s: unknown): s is ShelterStatus =>
  typeof s === "string" && (SHELTER_STATUSES as readonly string[]).includes(s);

/** Statuses a resident may be sent to (満 only as the last resort, shown last). */
export const RECEIVING: readonly ShelterStatus[] = ["open", "crowded", "full"];

/** The national shelter map (国土地理院 指定緊急避難場所データ), for residents outside the city. */
export const NATIONAL_MAP_URL = "https://hinanmap.gsi.go.jp/";
/** The attribution the data's terms ask for wherever it is shown. */
export const GSI_ATTRIBUTION = "出典：国土地理院 指定緊急避難場所データ";
