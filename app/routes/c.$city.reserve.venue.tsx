import { Link, data } from "react-router";
import type { Route } from "./+types/c.$city.reserve.venue";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { ButtonLink } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { doseLabel } from "~/lib/booking-labels";
import { StepIndicator } from "~/features/reservations/components/step-indicator";
import { flowCookie, requireFlow, venueStep } from "~/features/reservations/resident-flow.server";
import { formatDateJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const state = requireFlow(request, tenant, "contact");
  const step = await venueStep(getDb(), tenant.id, state);
  const earliest = step.ok && step.earliest ? formatDateJa(step.earliest) : null;
  // Each page of the flow restarts the 30 minutes.
  return data(
    { city: { slug: tenant.slug, name: tenant.name }, step: step.ok ? { ...step, earliest } : step },
    { headers: { "Set-Cookie": flowCookie(tenant, state) } },
  );
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `予約：会場の選択 | ${data?.city.name ?? ""} オンライン窓口` },
];

export default function ReserveVenue({ loaderData }: Route.ComponentProps) {
  const { city, step } = loaderData;
  const base = `/c/${city.slug}/reserve`;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={3} />
      <PageHeader
        title="会場を選ぶ"
        description={step.ok ? `${step.service.name}（${doseLabel(step.dose)}）の会場を選んでください。` : undefined}
      />
      {!step.ok ? (
        <>
          <Notice variant="error">{step.message}</Notice>
          <CurrentCityContact className="mt-6" />
        </>
      ) : (
        <>
          {step.earliest ? (
            <Notice variant="info" role="none" className="mb-6">
              {doseLabel(step.dose)}は、前回の接種から必要な間隔をあけた {step.earliest} 以降の日時から選べます。
            </Notice>
          ) : null}
          {step.venues.length === 0 ? (
            <>
              <Notice variant="warning" role="none">
                現在、予約できる会場がありません。日をおいてもう一度ご確認いただくか、電話窓口へご連絡ください。
              </Notice>
              <CurrentCityContact title="電話窓口" className="mt-6" />
            </>
          ) : (
            <ul className="flex flex-col gap-4">
              {step.venues.map((v) => (
                <li key={v.id}>
                  <Card title={v.name}>
                    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
                      <dt className="font-bold">住所</dt>
                      <dd>{v.address}</dd>
                      {v.accessNotes ? (
                        <>
                          <dt className="font-bold">交通</dt>
                          <dd>{v.accessNotes}</dd>
                        </>
                      ) : null}
                      {v.barrierFreeNotes ? (
                        <>
                          <dt className="font-bold">バリアフリー</dt>
                          <dd>{v.barrierFreeNotes}</dd>
                        </>
                      ) : null}
                      <dt className="font-bold">空き状況</dt>
                      <dd className={v.openSlots > 0 ? "font-bold" : "font-bold text-error-2"}>
                        {v.openSlots > 0 ? `空きのある時間帯 ${v.openSlots}件` : "満席（空きがありません）"}
                      </dd>
                    </dl>
                    {v.openSlots > 0 ? (
                      <ButtonLink
                        to={`${base}/slot?venue=${v.id}`}
                        size="lg"
                        fullWidth
                        className="mt-4"
                        aria-label={`この会場で日時を選ぶ（${v.name}）`}
                      >
                        この会場で日時を選ぶ
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
        <Link to={`${base}/contact`}>連絡先を修正する</Link>
        <Link to={base}>最初からやり直す</Link>
      </p>
    </ResidentLayout>
  );
}
