import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reservation.$id.change";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { cx } from "~/components/ui/cx";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";
import { formatDateTimeIn } from "~/lib/japan-time";
import { ReservationSummary, VenueDetails } from "~/features/reservations/components/reservation-summary";
import { SlotPicker } from "~/features/reservations/components/slot-picker";
import {
  changeMine,
  changeTarget,
  changeVenues,
  mineReservation,
  requireMine,
  slotStep,
} from "~/features/reservations/resident-flow.server";
import { changeSchema, uuidParam } from "~/features/reservations/resident-flow.schemas";
import { REFUSAL_MESSAGES } from "~/features/reservations/refusals";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const { ticketHolderId } = requireMine(request, tenant);
  const db = getDb();
  const r = uuidParam(params.id) ? await mineReservation(db, tenant.id, ticketHolderId, params.id) : null;
  if (!r) throw redirect(`/c/${tenant.slug}/reservation`);
  const search = new URL(request.url).searchParams;
  const venueId = uuidParam(search.get("venue")) ?? r.venue.id;
  const slotId = uuidParam(search.get("slot"));
  const city = { slug: tenant.slug, name: tenant.name };
  const current = {
    id: r.id,
    dose: r.dose,
    serviceName: r.serviceName,
    startsAt: r.startsAt,
    venue: r.venue,
    changeable: r.changeable,
  };
  if (!r.changeable) return { city, current, venues: [], venueId, chosenDay: null, step: null, target: null };
  const [venues, step, target] = await Promise.all([
    changeVenues(db, tenant.id, ticketHolderId, r),
    slotStep(db, tenant.id, {
      serviceId: r.serviceId,
      ticketHolderId,
      venueId,
      excludeReservationId: r.id,
      excludeSlotId: r.slotId,
      quota: r.quota,
    }),
    slotId ? changeTarget(db, tenant.id, r, slotId) : null,
  ]);
  return { city, current, venues, venueId, chosenDay: search.get("day"), step, target };
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "reservation:title.change", data?.city.name) },
];

export async function action({ request, context, params }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const { ticketHolderId } = requireMine(request, tenant);
  const form = await readForm(request);
  const parsed = changeSchema.safeParse({ slot: form.get("slot") });
  if (!parsed.success || !uuidParam(params.id)) return { ok: false as const, message: REFUSAL_MESSAGES["not-found"] };
  const result = await changeMine(getDb(), {
    tenantId: tenant.id,
    ticketHolderId,
    reservationId: params.id,
    newSlotId: parsed.data.slot,
  });
  if (!result.ok) return { ok: false as const, message: result.message };
  return redirect(`/c/${tenant.slug}/reservation?done=changed`);
}

export default function ChangeReservation({ loaderData, actionData }: Route.ComponentProps) {
  const { city, current, venues, venueId, chosenDay, step, target } = loaderData;
  const base = `/c/${city.slug}/reservation`;
  const here = `${base}/${current.id}/change`;
  const refusal = actionData && !actionData.ok ? actionData : null;
  const { lang, t, ts, tm, raw } = useT();
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader
        title={t("reservation:title.change")}
        description={t("reservation:change.lead", {
          service: current.serviceName,
          dose: raw("booking:dose", { count: current.dose }),
        })}
      />
      <h2 className="text-[1.25em]">{t("reservation:change.current")}</h2>
      <div className="mt-2">
        <ReservationSummary
          rows={[
            { key: "when", label: t("booking:summary.when"), value: formatDateTimeIn(lang, current.startsAt) },
            { key: "venue", label: t("booking:summary.venue"), value: <VenueDetails venue={current.venue} /> },
          ]}
        />
      </div>
      {refusal ? (
        <Notice variant="error" className="mt-6" title={t("reservation:change.failed")}>
          {tm(refusal.message)} {t("reservation:change.kept")}
        </Notice>
      ) : null}
      {!current.changeable ? (
        <Notice variant="warning" className="mt-6">
          {tm(REFUSAL_MESSAGES["past-cutoff"])}
        </Notice>
      ) : target && !refusal ? (
        <section aria-labelledby="target-heading" className="mt-8">
          <h2 id="target-heading" className="text-[1.25em]">
            {t("reservation:change.confirmTitle")}
          </h2>
          <div className="mt-2">
            <ReservationSummary
              rows={[
                {
                  key: "when",
                  label: t("reservation:change.newWhen"),
                  value: formatDateTimeIn(lang, target.startsAt),
                },
                { key: "venue", label: t("reservation:change.newVenue"), value: <VenueDetails venue={target.venue} /> },
              ]}
            />
          </div>
          {target.full ? (
            <Notice variant="error" className="mt-4">
              {tm(REFUSAL_MESSAGES.full)}
            </Notice>
          ) : null}
          <Form method="post" className="mt-6 flex flex-col gap-3 sm:flex-row">
            <input type="hidden" name="slot" value={target.id} />
            <Button type="submit" size="lg" disabled={target.full}>
              {t("reservation:change.submit")}
            </Button>
            <Link to={`${here}?venue=${venueId}`} className="self-center">
              {t("reservation:change.otherTime")}
            </Link>
          </Form>
        </section>
      ) : (
        <>
          <h2 className="mt-8 text-[1.25em]">{t("reservation:change.venues")}</h2>
          <ul className="mt-2 flex flex-wrap gap-3">
            {venues.map((v) => (
              <li key={v.id}>
                <Link
                  to={`${here}?venue=${v.id}`}
                  aria-current={v.id === venueId ? "true" : undefined}
                  className={cx(
                    "inline-flex min-h-12 items-center rounded-8 border-2 px-4 py-2 font-bold",
                    v.id === venueId
                      ? "border-blue-900 bg-blue-900 text-white"
                      : "border-blue-900 bg-white text-blue-900",
                  )}
                >
                  {v.name}
                  {v.openSlots === 0 ? t("reservation:change.full") : ""}
                </Link>
              </li>
            ))}
          </ul>
          <h2 className="mt-8 text-[1.25em]">
            {step ? t("reservation:change.slotsOf", { venue: step.venue.name }) : t("reservation:change.slots")}
          </h2>
          <SlotPicker
            days={step?.days ?? []}
            chosenDay={chosenDay}
            dayHref={(day) => `${here}?venue=${venueId}${day ? `&day=${day}` : ""}`}
            action={here}
            hidden={{ venue: venueId }}
            emptyMessage={t("reservation:change.empty")}
          />
        </>
      )}
      <p className="mt-8 flex">
        <Link to={base}>{t("reservation:change.back")}</Link>
      </p>
      <CurrentCityContact title={ts("reservation:mine.phoneTitle")} className="mt-10" />
    </ResidentLayout>
  );
}
