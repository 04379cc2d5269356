import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reserve";
import { clientAddress } from "~/lib/client-address.server";
import { CurrentCityContact } from "~/components/city-contact";
import { IDENTITY_THROTTLED } from "~/features/reservations/identity-messages";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { getDb } from "#db/client.server";
import { LineLinkField, wantsLineLink } from "~/features/liff/components/line-link-field";
import { getLineIdentity } from "~/features/liff/identity.server";
import { IdentityFields } from "~/features/reservations/components/identity-fields";
import { StepIndicator } from "~/features/reservations/components/step-indicator";
import { WaitingRoom } from "~/features/reservations/components/waiting-room";
import { flowCookie, flowStart, linkFlowToLine, startFlow } from "~/features/reservations/resident-flow.server";
import { formStrings, identitySchema } from "~/features/reservations/resident-flow.schemas";
import { REFRESH_SECONDS, gateReserveEntry } from "~/features/reservations/waiting-room.server";
import { formFailure, parseForm } from "~/lib/forms";
import { formatDateTimeIn } from "~/lib/japan-time";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";
import { WhoField } from "~/features/reservations/components/who-field";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const channel = url.searchParams.get("channel") === "line" ? ("line" as const) : ("web" as const);
  // The waiting room (ADR 025) gates only this entry; without the city's setting it is a no-op.
  const gate = await gateReserveEntry(request, tenant);
  const headers = gate.setCookie ? { "Set-Cookie": gate.setCookie } : undefined;
  const city = { slug: tenant.slug, name: tenant.name };
  if (!gate.admitted)
    return data({ city, channel, waiting: { position: gate.position, refreshSeconds: REFRESH_SECONDS } }, { headers });
  const { services } = await flowStart(getDb(), tenant.id);
  return data(
    {
      city,
      waiting: null,
      services,
      channel,
      expired: url.searchParams.has("expired"),
      // Only whether LIFF verified someone; the LINE user id itself never goes to the page.
      lineIdentified: getLineIdentity(request, tenant) !== null,
    },
    { headers },
  );
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, data?.waiting ? "waiting.title" : "booking:title.identity", data?.city.name) },
];

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  // A submit is an entry too: one that skipped the waiting page goes back to it.
  const gate = await gateReserveEntry(request, tenant);
  if (!gate.admitted)
    throw redirect(new URL(request.url).pathname + new URL(request.url).search, {
      headers: gate.setCookie ? { "Set-Cookie": gate.setCookie } : undefined,
    });
  const form = await readForm(request);
  const parsed = parseForm(identitySchema, form);
  if (!parsed.ok) return { ...parsed, manage: false, opensAt: null };
  const result = await startFlow(getDb(), { tenantId: tenant.id, ...parsed.data, ip: clientAddress(context) });
  if (!result.ok)
    return {
      ...formFailure({ [result.field]: result.message }, formStrings(form)),
      manage: result.manage ?? false,
      opensAt: result.opensAt ?? null,
    };
  // The LINE user comes from the verified cookie, never from the form; the box is only the consent.
  // A family proxy's notices go to the contact they give next (ADR 044), never to a LINE link.
  const line = wantsLineLink(form) && !parsed.data.family ? getLineIdentity(request, tenant) : null;
  const state = line ? linkFlowToLine(result.state, line.lineUserId) : result.state;
  return redirect(`/c/${tenant.slug}/reserve/contact`, { headers: { "Set-Cookie": flowCookie(tenant, state) } });
}

export default function ReserveIdentity({ loaderData, actionData }: Route.ComponentProps) {
  const { lang, t, ts, tp, tm } = useT();
  if (loaderData.waiting) {
    return (
      <ResidentLayout cityName={loaderData.city.name} citySlug={loaderData.city.slug}>
        <WaitingRoom
          position={loaderData.waiting.position}
          channel={loaderData.channel}
          refreshSeconds={loaderData.waiting.refreshSeconds}
        />
      </ResidentLayout>
    );
  }
  const { city, services, channel, expired, lineIdentified } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  const values = failure?.values ?? {};
  const single = services.length === 1 ? services[0] : null;
  const opensAt = failure && "opensAt" in failure ? failure.opensAt : null;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={1} />
      <PageHeader
        title={single ? t("booking:identity.titleOne", { service: single.name }) : t("booking:identity.title")}
        description={t("booking:identity.lead")}
      />
      {channel === "line" ? (
        <Notice variant="info" role="none" className="mb-6">
          {t("booking:identity.viaLine")}
        </Notice>
      ) : null}
      {expired ? (
        <Notice variant="warning" role="none" className="mb-6">
          {t("booking:identity.expired")}
        </Notice>
      ) : null}
      {services.length === 0 ? (
        <Notice variant="info" role="none">
          {t("booking:identity.noServices")}
        </Notice>
      ) : (
        <>
          {failure?.errors._form ? (
            <Notice variant="error" className="mb-6">
              {tm(failure.errors._form)}
              {opensAt ? <> {t("booking:errors.opensAt", { date: formatDateTimeIn(lang, opensAt) })}</> : null}
              {failure.manage ? (
                <>
                  {" "}
                  <Link to={`/c/${city.slug}/reservation`}>{t("booking:identity.manageLink")}</Link>
                </>
              ) : null}
              {/* Locked by too many guesses (ADR 027): the city's number right under 「お電話ください」. */}
              {failure.errors._form === IDENTITY_THROTTLED ? <CurrentCityContact className="mt-3" /> : null}
            </Notice>
          ) : null}
          <Form method="post" noValidate className="flex flex-col gap-8">
            <input type="hidden" name="channel" value={channel} />
            {single ? (
              <input type="hidden" name="serviceId" value={single.id} />
            ) : (
              <SelectField
                label={t("booking:identity.service")}
                name="serviceId"
                required
                placeholder={tp("booking:identity.choose")}
                options={services.map((s) => ({ value: s.id, label: s.name }))}
                defaultValue={values.serviceId ?? ""}
                error={failure?.errors.serviceId ? tm(failure.errors.serviceId) : undefined}
              />
            )}
            <WhoField defaultValue={values.who === "family" ? "family" : "self"} />
            <IdentityFields values={values} errors={failure?.errors} />
            {lineIdentified ? <LineLinkField defaultChecked={failure ? values.linkLine === "1" : true} /> : null}
            <Button type="submit" size="lg" fullWidth>
              {t("booking:identity.next")}
            </Button>
          </Form>
        </>
      )}
      <p className="mt-10">{t("booking:identity.manageHint")}</p>
      <p className="mt-1 flex">
        <Link to={`/c/${city.slug}/reservation`}>{t("booking:identity.manage")}</Link>
      </p>
      <p className="mt-4">{t("booking:identity.phoneHint")}</p>
      <CurrentCityContact title={ts("booking:identity.phoneTitle")} className="mt-3" />
    </ResidentLayout>
  );
}
