import type { Route } from "./+types/c.$city.admin.audit.export";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { exportCityAudit } from "~/features/audit/audit-log.server";
import { clientAddress } from "~/lib/client-address.server";
import { contentDisposition, csvContentType, encodeCsv, safeFileName, toCsv } from "~/lib/csv.server";
import { tenantContext } from "~/tenants/context";

/** The filtered audit log as CSV (admins); the export is itself audited. */
export async function loader({ context, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const encoding = url.searchParams.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8";
  const rows = await exportCityAudit(getDb(), tenant.id, staff.user.id, clientAddress(context), url);
  const { bytes } = encodeCsv(toCsv(rows), encoding);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition(safeFileName(`操作記録_${tenant.name}.csv`), "audit.csv"),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
