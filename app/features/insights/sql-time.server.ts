import { sql, type SQL } from "drizzle-orm";
import { addDays, TOKYO_TIME_ZONE, tokyoInstant } from "~/lib/japan-time";
import type { Period } from "./figures";

/** The Japan-time calendar day of a timestamptz column, as 'YYYY-MM-DD' (group by position, not text). */
export const tokyoDay = (column: SQL) => sql`to_char(${column} at time zone ${TOKYO_TIME_ZONE}, 'YYYY-MM-DD')`;

/** The period as a half-open range of instants: [from 00:00, the day after `to` 00:00) in Japan. */
export function periodRange(p: Period): { start: string; end: string } {
  // ISO strings: postgres.js binds raw-SQL parameters as text, and does not take a Date there.
  return { start: tokyoInstant(p.from).toISOString(), end: tokyoInstant(addDays(p.to, 1)).toISOString() };
}
