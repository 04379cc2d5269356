import { Link, data, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reserve.slot";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { doseLabel } from "~/lib/booking-labels";
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

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `予約：日時の選択 | ${data?.city.name ?? ""} オンライン窓口` },
];

export default function ReserveSlot({ loaderData }: Route.ComponentProps) {
  const { city, venue, venueId, chosenDay, dose, days } = loaderData;
  const base = `/c/${city.slug}/reserve`;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={4} />
      <PageHeader
        title="日時を選ぶ"
        description={`${doseLabel(dose)}の接種日を選び、次に時間を選んでください。「満席」の時間は選べません。`}
      />
      <div className="rounded-8 bg-solid-gray-50 p-4">
        <p className="text-[0.875em] font-bold text-solid-gray-700">選んだ会場</p>
        <VenueDetails venue={venue} />
      </div>
      <SlotPicker
        days={days}
        chosenDay={chosenDay}
        dayHref={(day) => `${base}/slot?venue=${venueId}${day ? `&day=${day}` : ""}`}
        action={`${base}/confirm`}
        emptyMessage="この会場には、現在予約できる日時がありません。別の会場をお選びください。"
      />
      <p className="mt-8 flex flex-wrap gap-x-6 gap-y-2">
        <Link to={`${base}/venue`}>会場を選びなおす</Link>
        <Link to={base}>最初からやり直す</Link>
      </p>
    </ResidentLayout>
  );
}
