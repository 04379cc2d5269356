import type { Route } from "./+types/c.$city.admin.faq.export";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { faqCsvText } from "~/features/faq/import.server";
import { contentDisposition, csvContentType, encodeCsv } from "~/lib/csv.server";
import { tenantContext } from "~/tenants/context";

/** The city's FAQ as a CSV download, in the format the import reads (resource route). */
export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin", "analyst"]);
  const encoding = new URL(request.url).searchParams.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8";
  const { bytes } = encodeCsv(await faqCsvText(getDb(), context.get(tenantContext).id), encoding);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition("よくある質問.csv", "faq.csv"),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
