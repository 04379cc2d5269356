import type { Route } from "./+types/c.$city.admin.ledger.export";
import { data } from "react-router";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { readPeriod } from "~/features/insights/figures";
import { reservationLedger } from "~/features/insights/ledger.server";
import { clientAddress } from "~/lib/client-address.server";
import { contentDisposition, csvContentType, encodeCsv, safeFileName, toCsv } from "~/lib/csv.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

/** The reservation ledger of a period as CSV (admins; personal data, audited). */
export async function loader({ context, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const period = readPeriod(url.searchParams, tokyoDateOf(new Date()));
  if (period.error)
    throw data(
      { message: period.error.replace(/直近30日間を表示しています。|終了日から2年間を表示しています。/, "") },
      { status: 400 },
    );
  const encoding = url.searchParams.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8";
  const rows = await reservationLedger(getDb(), {
    tenantId: tenant.id,
    staffUserId: staff.user.id,
    ip: clientAddress(context),
    period,
  });
  const { bytes } = encodeCsv(toCsv(rows), encoding);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": csvContentType(encoding),
      "Content-Disposition": contentDisposition(
        safeFileName(`予約台帳_${tenant.name}_${period.from}_${period.to}.csv`),
        "ledger.csv",
      ),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
