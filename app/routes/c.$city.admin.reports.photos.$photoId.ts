import { data } from "react-router";
import type { Route } from "./+types/c.$city.admin.reports.photos.$photoId";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { viewReportPhoto } from "~/features/reports/triage.server";
import { clientAddress } from "~/lib/client-address.server";
import { tenantContext } from "~/tenants/context";

/** A report's photo, for this city's staff only; every view is audited. Never cached by browsers or proxies. */
export async function loader({ context, params, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin", "operator", "analyst"]);
  const variant = new URL(request.url).searchParams.get("size") === "thumb" ? "thumb" : "full";
  const bytes = await viewReportPhoto(getDb(), context.get(tenantContext).id, params.photoId, variant, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  if (!bytes) throw data({ message: "写真が見つかりません。" }, { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "image/jpeg",
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
