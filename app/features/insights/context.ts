import type { Period } from "./figures";

/** What a figure provider is given: the city, the period, who is looking (for links). */
export type InsightsContext = {
  tenantId: string;
  citySlug: string;
  period: Period;
  /** The viewer's role: a figure links to the list behind it only for roles that may open that list. */
  role: string;
  areas: string[];
};

export const canSeePersonalLists = (role: string) => role === "admin" || role === "operator";
