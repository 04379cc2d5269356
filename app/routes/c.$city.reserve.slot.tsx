import { Link, data, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reserve.slot";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";
import { VenueDetails } from "~/features/reservations/components/reservation-summary";
import { SlotPicker } from "~/features/reservations/components/slot-picker";
import { StepIndicator } from "~/features/reservations/components/step-indicator";
import { flowCookie, requireFlow, slotStep } from "~/features/reservations/resident-flow.server";
import { uuidParam } from "~/features/reservations/resident-flow.schemas";
import { tenantContext } from "~/tenants/context";

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const state = requireFlow(request, tenant, "contact");
  const search = new URL(request.url).searchParams;
  const venueId = uuidParam(search.get("venue"));
  const step = venueId
    ? await slotStep(getDb(), tenant.id, { serviceId: state.serviceId, ticketHolderId: state.ticketHolderId, venueId })
    : null;
  if (!step) throw redirect(`/c/${tenant.slug}/reserve/venue`);
  return data(
    { city: { slug: tenant.slug, name: tenant.name }, venueId, chosenDay: search.get("day"), ...step },
    { headers: { "Set-Cookie": flowCookie(tenant, state) } },
  );
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "booking:title.slot", data?.city.name) },
];

export default function ReserveSlot({ loaderData }: Route.ComponentProps) {
  const { city, venue, venueId, chosenDay, dose, days } = loaderData;
  const base = `/c/${city.slug}/reserve`;
  const { t, raw } = useT();
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={4} />
      <PageHeader
        title={t("booking:slot.title")}
        description={t("booking:slot.lead", { dose: raw("booking:dose", { count: dose }) })}
      />
      <div className="rounded-8 bg-solid-gray-50 p-4">
        <p className="text-[0.875em] font-bold text-solid-gray-700">{t("booking:slot.chosenVenue")}</p>
        <VenueDetails venue={venue} />
      </div>
      <SlotPicker
        days={days}
        chosenDay={chosenDay}
        dayHref={(day) => `${base}/slot?venue=${venueId}${day ? `&day=${day}` : ""}`}
        action={`${base}/confirm`}
        emptyMessage={t("booking:slot.empty")}
      />
      <p className="mt-8 flex flex-wrap gap-x-6 gap-y-2">
        <Link to={`${base}/venue`}>{t("booking:slot.otherVenue")}</Link>
        <Link to={base}>{t("booking:contact.restart")}</Link>
      </p>
    </ResidentLayout>
  );
}
