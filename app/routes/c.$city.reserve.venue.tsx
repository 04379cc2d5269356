import { Link, data } from "react-router";
import type { Route } from "./+types/c.$city.reserve.venue";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { ButtonLink } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { StepIndicator } from "~/features/reservations/components/step-indicator";
import { flowCookie, requireFlow, venueStep } from "~/features/reservations/resident-flow.server";
import { formatDateIn } from "~/lib/japan-time";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const state = requireFlow(request, tenant, "contact");
  const step = await venueStep(getDb(), tenant.id, state);
  // Each page of the flow restarts the 30 minutes.
  return data(
    { city: { slug: tenant.slug, name: tenant.name }, step },
    { headers: { "Set-Cookie": flowCookie(tenant, state) } },
  );
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "booking:title.venue", data?.city.name) },
];

export default function ReserveVenue({ loaderData }: Route.ComponentProps) {
  const { city, step } = loaderData;
  const base = `/c/${city.slug}/reserve`;
  const { lang, t, ts, tm, raw } = useT();
  const dose = step.ok ? raw("booking:dose", { count: step.dose }) : "";
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={3} />
      <PageHeader
        title={t("booking:venue.title")}
        description={step.ok ? t("booking:venue.lead", { service: step.service.name, dose }) : undefined}
      />
      {!step.ok ? (
        <>
          <Notice variant="error">{tm(step.message)}</Notice>
          <CurrentCityContact className="mt-6" />
        </>
      ) : (
        <>
          {step.earliest ? (
            <Notice variant="info" role="none" className="mb-6">
              {t("booking:venue.earliest", { dose, date: formatDateIn(lang, step.earliest) })}
            </Notice>
          ) : null}
          {step.venues.length === 0 ? (
            <>
              <Notice variant="warning" role="none">
                {t("booking:venue.none")}
              </Notice>
              <CurrentCityContact title={ts("booking:venue.phoneTitle")} className="mt-6" />
            </>
          ) : (
            <ul className="flex flex-col gap-4">
              {step.venues.map((v) => (
                <li key={v.id}>
                  <Card title={v.name}>
                    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
                      <dt className="font-bold">{t("booking:venue.address")}</dt>
                      <dd>{v.address}</dd>
                      {v.accessNotes ? (
                        <>
                          <dt className="font-bold">{t("booking:venue.access")}</dt>
                          <dd>{v.accessNotes}</dd>
                        </>
                      ) : null}
                      {v.barrierFreeNotes ? (
                        <>
                          <dt className="font-bold">{t("booking:venue.barrierFree")}</dt>
                          <dd>{v.barrierFreeNotes}</dd>
                        </>
                      ) : null}
                      <dt className="font-bold">{t("booking:venue.availability")}</dt>
                      <dd className={v.openSlots > 0 ? "font-bold" : "font-bold text-error-2"}>
                        {v.openSlots > 0 ? t("booking:venue.open", { count: v.openSlots }) : t("booking:venue.full")}
                      </dd>
                    </dl>
                    {v.openSlots > 0 ? (
                      <ButtonLink to={`${base}/slot?venue=${v.id}`} size="lg" fullWidth className="mt-4">
                        {/* The venue's name for screen readers (several buttons read the same). */}
                        {t("booking:venue.choose")}
                        <span className="sr-only">{t("booking:summary.srSuffix", { text: v.name })}</span>
                      </ButtonLink>
                    ) : null}
                  </Card>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <p className="mt-8 flex flex-wrap gap-x-6 gap-y-2">
        <Link to={`${base}/contact`}>{t("booking:venue.editContact")}</Link>
        <Link to={base}>{t("booking:contact.restart")}</Link>
      </p>
    </ResidentLayout>
  );
}
