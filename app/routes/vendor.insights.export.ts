import type { Route } from "./+types/vendor.insights.export";
import { data } from "react-router";
import { getDb } from "#db/client.server";
import { figureRows } from "~/features/insights/figures";
import { vendorInsights } from "~/features/insights/vendor-insights.server";
import { contentDisposition, csvContentType, encodeCsv, safeFileName, toCsv } from "~/lib/csv.server";

/** One vendor figure as CSV, exactly as its table shows it (counts only, k-anonymous). */
export async function loader({ request }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const figure = (await vendorInsights(getDb())).find((f) => f.id === url.searchParams.get("figure"));
  if (!figure) throw data({ message: "その図はありません。" }, { status: 404 });
  const encoding = url.searchParams.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8";
  const { bytes } = encodeCsv(toCsv(figureRows(figure)), encoding);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition(safeFileName(`${figure.title}.csv`), "vendor-insights.csv"),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
