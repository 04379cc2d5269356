import { redirect } from "react-router";
import type { Route } from "./+types/vendor.usage.export";
import { getDb } from "#db/client.server";
import { monthSchema } from "~/features/billing/billing.schemas";
import { usageCsv, usageFileNames, usageReport } from "~/features/billing/usage.server";
import { contentDisposition, csvContentType } from "~/lib/csv.server";

/** Every city's usage in one month as CSV (resource route). Counts only, no personal data. */
export async function loader({ request }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const month = monthSchema.safeParse(url.searchParams.get("month") ?? "");
  if (!month.success) return redirect(`/vendor/usage${url.search}`);
  const encoding = url.searchParams.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8";
  const rows = await usageReport(getDb(), month.data);
  const names = usageFileNames(month.data);
  return new Response(new Uint8Array(usageCsv(month.data, rows, encoding)), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition(names.filename, names.ascii),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
