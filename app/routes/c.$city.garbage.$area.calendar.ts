import { data } from "react-router";
import type { Route } from "./+types/c.$city.garbage.$area.calendar";
import { getDb } from "#db/client.server";
import { garbageIcs } from "~/features/garbage/pages.server";
import { env } from "~/lib/env.server";
import { tenantContext } from "~/tenants/context";

/** The area's garbage days as an iCalendar subscription (resource route). */
export async function loader({ context, params }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const page = `${env().APP_ORIGIN}/c/${tenant.slug}/garbage/${encodeURIComponent(params.area)}`;
  const ics = await garbageIcs(getDb(), tenant, params.area, new Date(), page);
  if (!ics) throw data({ message: "この地区のごみの日の情報はありません。" }, { status: 404 });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="garbage.ics"`,
      // Calendar apps poll the feed; an hour keeps staff edits (exceptions) close to live.
      "Cache-Control": "public, max-age=3600",
    },
  });
}
