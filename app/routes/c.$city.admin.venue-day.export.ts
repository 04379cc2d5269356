import { redirect } from "react-router";
import type { Route } from "./+types/c.$city.admin.venue-day.export";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { getDb } from "#db/client.server";
import { contentDisposition, csvContentType, encodeCsv } from "~/lib/csv.server";
import { venueDayCsv, venueDayFileNames } from "~/features/venue-day/csv";
import { exportSchema } from "~/features/venue-day/venue-day.schemas";
import { exportVenueDay } from "~/features/venue-day/venue-day.server";
import { tenantContext } from "~/tenants/context";

/** The venue-day list as a CSV download (resource route: no page, only the file). */
export async function loader({ context, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const parsed = exportSchema.safeParse(Object.fromEntries(url.searchParams));
  // Without a valid choice there is nothing to export: back to the page, which shows what is missing.
  if (!parsed.success) return redirect(`/c/${tenant.slug}/admin/venue-day${url.search}`);
  const { venue, date, encoding } = parsed.data;
  const found = await exportVenueDay(getDb(), {
    tenantId: tenant.id,
    venueId: venue,
    date,
    encoding,
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  if (!found) return redirect(`/c/${tenant.slug}/admin/venue-day${url.search}`);
  const { bytes } = encodeCsv(venueDayCsv(found.venue.name, date, found.rows), encoding);
  const names = venueDayFileNames(found.venue.name, date);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition(names.filename, names.ascii),
      // Personal data: never kept by a shared proxy or the browser cache.
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
