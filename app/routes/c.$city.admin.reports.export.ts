import type { Route } from "./+types/c.$city.admin.reports.export";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { readReportFilters, reportsCsvText } from "~/features/reports/triage.server";
import { clientAddress } from "~/lib/client-address.server";
import { contentDisposition, csvContentType, encodeCsv } from "~/lib/csv.server";
import { tenantContext } from "~/tenants/context";

/** The filtered reports as CSV (audited; no reporter identity). */
export async function loader({ context, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin", "operator", "analyst"]);
  const q = new URL(request.url).searchParams;
  const encoding = q.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8";
  const text = await reportsCsvText(getDb(), context.get(tenantContext).id, readReportFilters(q), {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  const { bytes } = encodeCsv(text, encoding);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition("通報.csv", "reports.csv"),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
