import type { Route } from "./+types/vendor.audit.export";
import { getDb } from "#db/client.server";
import { exportVendorAudit } from "~/features/audit/audit-log.server";
import { clientAddress } from "~/lib/client-address.server";
import { contentDisposition, csvContentType, encodeCsv, toCsv } from "~/lib/csv.server";
import { vendorContext } from "~/tenants/context";

/** The vendor's filtered audit log as CSV; the export is itself audited. */
export async function loader({ context, request }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const encoding = url.searchParams.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8";
  const rows = await exportVendorAudit(getDb(), context.get(vendorContext).user.id, clientAddress(context), url);
  const { bytes } = encodeCsv(toCsv(rows), encoding);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition("運営の操作記録.csv", "vendor-audit.csv"),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
