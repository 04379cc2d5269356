import { data } from "react-router";
import type { Route } from "./+types/c.$city.reserve.done.$code.calendar";
import { getDb } from "#db/client.server";
import { reservationByCode } from "~/features/reservations/availability.server";
import { calendarFile } from "~/features/reservations/check-in.server";
import { env } from "~/lib/env.server";
import { ja } from "~/lib/i18n/messages";
import { preferencesContext } from "~/lib/i18n/preferences.server";
import { tenantContext } from "~/tenants/context";

/** 「カレンダーに追加」: the booking as an .ics download (resource route). The code is the key, as on the done page. */
export async function loader({ context, params }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const code = /^[2-9A-Z]{8}$/.test(params.code) ? params.code : null;
  const r = code ? await reservationByCode(getDb(), tenant.id, code) : null;
  if (!r) throw data({ message: ja("booking:done.notFound") }, { status: 404 });
  const ics = calendarFile({
    code: r.confirmationCode,
    serviceName: r.serviceName,
    dose: r.dose,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    venue: r.venue,
    cityName: tenant.name,
    manageUrl: `${env().APP_ORIGIN}/c/${tenant.slug}/reservation`,
    lang: context.get(preferencesContext).lang,
  });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="reservation-${r.confirmationCode}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
