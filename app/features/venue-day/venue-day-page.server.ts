import type { Db } from "#db/client.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { venueDaySchema } from "./venue-day.schemas";
import { listVenues, viewVenueDay, type VenueDayRow } from "./venue-day.server";

/**
 * The venue-day page for one ?venue=&date=. Without a choice it shows only the picker (today
 * preselected); with one, the list — read and audited in one step.
 */
export async function loadVenueDayPage(
  db: Db,
  input: { tenantId: string; query: Record<string, string>; staffUserId: string; ip?: string | null },
  now = new Date(),
) {
  const today = tokyoDateOf(now);
  const venues = await listVenues(db, input.tenantId);
  const asked = "venue" in input.query || "date" in input.query;
  const parsed = venueDaySchema.safeParse(input.query);
  const values = { venue: input.query.venue ?? "", date: input.query.date ?? today };
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    if (asked) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return {
      today,
      venues,
      values,
      errors,
      day: null as null | { venueId: string; venueName: string; date: string; rows: VenueDayRow[] },
    };
  }
  const found = await viewVenueDay(db, {
    tenantId: input.tenantId,
    venueId: parsed.data.venue,
    date: parsed.data.date,
    staffUserId: input.staffUserId,
    ip: input.ip,
  });
  if (!found) return { today, venues, values, errors: { venue: "会場を選択してください。" }, day: null };
  return {
    today,
    venues,
    values,
    errors: {},
    day: { venueId: found.venue.id, venueName: found.venue.name, date: parsed.data.date, rows: found.rows },
  };
}
