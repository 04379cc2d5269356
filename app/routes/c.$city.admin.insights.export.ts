import type { Route } from "./+types/c.$city.admin.insights.export";
import { data } from "react-router";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { insightsCsv } from "~/features/insights/insights-page.server";
import { clientAddress } from "~/lib/client-address.server";
import { contentDisposition, csvContentType, encodeCsv, safeFileName, toCsv } from "~/lib/csv.server";
import { tenantContext } from "~/tenants/context";

/** One figure (?figure=) or the whole report as CSV, exactly as shown (resource route; audited). */
export async function loader({ context, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin", "analyst"]);
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const encoding = url.searchParams.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8";
  const csv = await insightsCsv(
    getDb(),
    tenant,
    { role: staff.membership.role, staffUserId: staff.user.id, ip: clientAddress(context) },
    url,
  );
  if (!csv) throw data({ message: "その図はありません。" }, { status: 404 });
  const { bytes } = encodeCsv(toCsv(csv.rows), encoding);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition(
        safeFileName(`${csv.name}_${tenant.name}_${csv.period.from}_${csv.period.to}.csv`),
        "insights.csv",
      ),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
