import type { Route } from "./+types/c.$city.admin.billing.export";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { encodeCsv, toCsv, contentDisposition, csvContentType, safeFileName } from "~/lib/csv.server";
import { cityUsageHistory } from "~/features/billing/usage.server";
import { tenantContext } from "~/tenants/context";

/** The city's own usage for the last 12 months as CSV (resource route, admins). Counts only. */
export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const encoding = new URL(request.url).searchParams.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8";
  const usage = await cityUsageHistory(getDb(), tenant.id, 12);
  const text = toCsv([
    ["対象月", "LINE友だち数", "LINE送信数（受信者数）", "予約数", "一斉配信数"],
    ...usage.map((u) => [u.month.slice(0, 7), u.friends, u.lineMessages, u.reservations, u.broadcasts]),
  ]);
  const { bytes } = encodeCsv(text, encoding);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition(safeFileName(`利用状況_${tenant.name}.csv`), "usage.csv"),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
