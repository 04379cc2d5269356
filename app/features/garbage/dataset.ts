/**
 * A city's 5374 dataset as stored (one JSON document per city, replaced as a whole by an import)
 * and the staff-kept exceptions beside it. Client-safe types: the calendar page renders from them.
 */
export type GarbageCategory = {
  /** description.csv `label`, and the area_days.csv column header. */
  label: string;
  sublabel: string;
  description: string;
  /** `#rrggbb` from description.csv's bgcolor, or null. */
  color: string | null;
  /** 祝日は収集しない: set by staff per category (5374 issue #58); imports keep it by label. */
  skipHolidays: boolean;
};

export type GarbageArea = {
  /** The 5374 area name; equal to one of the city's areas (tenants.areas, ADR 050). */
  name: string;
  /** center.csv name whose closure (年末年始) applies, or null. */
  center: string | null;
  /** category label → the raw rule cell (validated at import; parsed on read). */
  rules: Record<string, string>;
};

export type GarbageCenter = { name: string; from: string; to: string };
export type GarbageItem = { category: string; name: string; notice: string; furigana: string };

export type GarbageDataset = {
  categories: GarbageCategory[];
  areas: GarbageArea[];
  centers: GarbageCenter[];
  remarks: Record<string, string>;
  items: GarbageItem[];
};

/** 収集なしの日: a date with no collection of one category (or every category when null). */
export type GarbageException = { date: string; category: string | null; note: string };

export const EMPTY_DATASET: GarbageDataset = { categories: [], areas: [], centers: [], remarks: {}, items: [] };
