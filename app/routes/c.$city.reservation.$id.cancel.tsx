import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reservation.$id.cancel";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";
import { formatDateTimeIn } from "~/lib/japan-time";
import { ReservationSummary, VenueDetails } from "~/features/reservations/components/reservation-summary";
import { cancelMine, mineReservation, requireMine } from "~/features/reservations/resident-flow.server";
import { uuidParam } from "~/features/reservations/resident-flow.schemas";
import { REFUSAL_MESSAGES } from "~/features/reservations/refusals";
import { tenantContext } from "~/tenants/context";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const { ticketHolderId } = requireMine(request, tenant);
  const r = uuidParam(params.id) ? await mineReservation(getDb(), tenant.id, ticketHolderId, params.id) : null;
  if (!r) throw redirect(`/c/${tenant.slug}/reservation`);
  return {
    city: { slug: tenant.slug, name: tenant.name },
    reservation: {
      id: r.id,
      dose: r.dose,
      serviceName: r.serviceName,
      startsAt: r.startsAt,
      venue: r.venue,
      code: r.confirmationCode,
      changeable: r.changeable,
    },
  };
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "reservation:title.cancel", data?.city.name) },
];

export async function action({ request, context, params }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const { ticketHolderId } = requireMine(request, tenant);
  if (!uuidParam(params.id)) return { ok: false as const, message: REFUSAL_MESSAGES["not-found"] };
  const result = await cancelMine(getDb(), { tenantId: tenant.id, ticketHolderId, reservationId: params.id });
  if (!result.ok) return { ok: false as const, message: result.message };
  return redirect(`/c/${tenant.slug}/reservation?done=cancelled`);
}

export default function CancelReservation({ loaderData, actionData }: Route.ComponentProps) {
  const { city, reservation: r } = loaderData;
  const refusal = actionData && !actionData.ok ? actionData : null;
  const base = `/c/${city.slug}/reservation`;
  const { lang, t, ts, tm, raw } = useT();
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader
        title={t("reservation:title.cancel")}
        description={t("reservation:cancel.lead", {
          service: r.serviceName,
          dose: raw("booking:dose", { count: r.dose }),
        })}
      />
      <ReservationSummary
        rows={[
          { key: "when", label: t("booking:summary.when"), value: formatDateTimeIn(lang, r.startsAt) },
          { key: "venue", label: t("booking:summary.venue"), value: <VenueDetails venue={r.venue} /> },
          {
            key: "code",
            label: t("booking:summary.code"),
            value: <span className="font-mono font-bold tracking-[0.1em]">{r.code}</span>,
          },
        ]}
      />
      {refusal ? (
        <Notice variant="error" className="mt-6" title={t("reservation:cancel.failed")}>
          {tm(refusal.message)}
        </Notice>
      ) : null}
      {!r.changeable && !refusal ? (
        <Notice variant="warning" className="mt-6">
          {tm(REFUSAL_MESSAGES["past-cutoff"])}
        </Notice>
      ) : null}
      {r.changeable && !refusal ? (
        <>
          <p className="mt-6 text-[1.125em] font-bold">{t("reservation:cancel.confirm")}</p>
          <Form method="post" className="mt-6 flex flex-col gap-4 sm:flex-row sm:items-center">
            <Button type="submit" variant="danger" size="lg">
              {t("reservation:cancel.submit")}
            </Button>
            <Link to={base}>{t("reservation:cancel.keep")}</Link>
          </Form>
        </>
      ) : (
        <p className="mt-6 flex">
          <Link to={base}>{t("reservation:cancel.back")}</Link>
        </p>
      )}
      <CurrentCityContact title={ts("reservation:mine.phoneTitle")} className="mt-10" />
    </ResidentLayout>
  );
}
