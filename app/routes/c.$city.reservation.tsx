import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reservation";
import { clientAddress } from "~/lib/client-address.server";
import { CurrentCityContact } from "~/components/city-contact";
import { IDENTITY_THROTTLED } from "~/features/reservations/identity-messages";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button, ButtonLink } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { HolderLineLink, LinkedReservationList } from "~/features/liff/components/linked-reservation-list";
import { getLineIdentity } from "~/features/liff/identity.server";
import {
  holderOfLinked,
  lineLinkState,
  linkHolderReservation,
  linkedReservations,
  unlinkReservation,
} from "~/features/liff/linked-reservations.server";
import { IdentityFields } from "~/features/reservations/components/identity-fields";
import { ReservationSummary } from "~/features/reservations/components/reservation-summary";
import {
  clearMineCookie,
  identifyMine,
  listMine,
  mineCookie,
  readMine,
} from "~/features/reservations/resident-flow.server";
import { formStrings, identitySchema, uuidParam } from "~/features/reservations/resident-flow.schemas";
import { formFailure, parseForm } from "~/lib/forms";
import { ja } from "~/lib/i18n/messages";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";
import { formatDateTimeIn } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

// `?done=` after a change, a cancel or a LINE (un)link: the catalogue's `reservation:mine.<done>`.
const NOTICES = ["changed", "cancelled", "linked", "unlinked"] as const;
type Done = (typeof NOTICES)[number];
const isDone = (v: string | null): v is Done => NOTICES.includes(v as Done);

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const params = new URL(request.url).searchParams;
  const mine = readMine(request, tenant);
  const line = getLineIdentity(request, tenant);
  const done = params.get("done");
  const db = getDb();
  const list = mine ? await listMine(db, tenant.id, mine.ticketHolderId) : null;
  const links = list
    ? await lineLinkState(
        db,
        tenant.id,
        list.map((r) => r.id),
        line?.lineUserId ?? null,
      )
    : {};
  const page = {
    city: { slug: tenant.slug, name: tenant.name },
    expired: params.has("expired") && !mine,
    notice: isDone(done) ? done : null,
    reservations: list ? list.map((r) => ({ ...r, line: links[r.id] ?? ("none" as const) })) : null,
    lineIdentified: line !== null,
    // A verified LINE user sees the reservations linked to them without typing the ticket number.
    linked: !mine && line ? await linkedReservations(db, tenant.id, line.lineUserId) : null,
  };
  // Each visit restarts the 30 minutes.
  return data(page, mine ? { headers: { "Set-Cookie": mineCookie(tenant, mine) } } : undefined);
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "reservation:title.mine", data?.city.name) },
];

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "end")
    return redirect(`/c/${tenant.slug}/reservation`, { headers: { "Set-Cookie": clearMineCookie(tenant) } });
  if (intent === "open-linked" || intent === "link-line" || intent === "unlink-line")
    return lineAction(request, tenant, form);
  const parsed = parseForm(identitySchema, form);
  if (!parsed.ok) return parsed;
  const result = await identifyMine(getDb(), {
    tenantId: tenant.id,
    ticketNumber: parsed.data.ticketNumber,
    birthDate: parsed.data.birthDate,
    ip: clientAddress(context),
  });
  if (!result.ok) return formFailure({ _form: result.message }, formStrings(form));
  return redirect(`/c/${tenant.slug}/reservation`, {
    headers: { "Set-Cookie": mineCookie(tenant, { ticketHolderId: result.ticketHolderId }) },
  });
}

const LINE_LINK_FAILED = ja("reservation:mine.lineLinkFailed");

/** The LINE-link intents. The LINE user always comes from the verified cookie, the holder from the ticket check. */
async function lineAction(request: Request, tenant: { id: string; slug: string }, form: FormData) {
  const base = `/c/${tenant.slug}/reservation`;
  const reservationId = uuidParam(String(form.get("reservationId") ?? ""));
  const line = getLineIdentity(request, tenant);
  const mine = readMine(request, tenant);
  const db = getDb();
  if (!reservationId) return formFailure({ _form: LINE_LINK_FAILED });
  switch (form.get("intent")) {
    case "open-linked": {
      const holder = line ? await holderOfLinked(db, tenant.id, line.lineUserId, reservationId) : null;
      if (!holder) return formFailure({ _form: LINE_LINK_FAILED });
      const to = form.get("to") === "cancel" ? "cancel" : "change";
      return redirect(`${base}/${reservationId}/${to}`, {
        headers: { "Set-Cookie": mineCookie(tenant, { ticketHolderId: holder }) },
      });
    }
    case "link-line": {
      const ok =
        line && mine
          ? await linkHolderReservation(db, tenant.id, {
              ticketHolderId: mine.ticketHolderId,
              reservationId,
              lineUserId: line.lineUserId,
            })
          : false;
      return ok ? redirect(`${base}?done=linked`) : formFailure({ _form: LINE_LINK_FAILED });
    }
    default: {
      const ok = await unlinkReservation(db, tenant.id, {
        reservationId,
        ticketHolderId: mine?.ticketHolderId,
        lineUserId: line?.lineUserId,
      });
      return ok ? redirect(`${base}?done=unlinked`) : formFailure({ _form: LINE_LINK_FAILED });
    }
  }
}

export default function MyReservation({ loaderData, actionData }: Route.ComponentProps) {
  const { city, expired, notice, reservations, lineIdentified, linked } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  const base = `/c/${city.slug}/reservation`;
  const { lang, t, ts, tm, raw } = useT();
  const dose = (n: number) => raw("booking:dose", { count: n });
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader
        title={t("reservation:title.mine")}
        description={t(
          reservations
            ? "reservation:mine.leadList"
            : linked
              ? "reservation:mine.leadLinked"
              : "reservation:mine.leadIdentify",
        )}
      />
      {notice ? (
        <Notice variant="success" className="mb-6">
          {t(`reservation:mine.${notice}`)}
        </Notice>
      ) : null}
      {expired ? (
        <Notice variant="warning" role="none" className="mb-6">
          {t("reservation:mine.expired")}
        </Notice>
      ) : null}
      {reservations ? (
        <>
          {failure?.errors._form ? (
            <Notice variant="error" className="mb-6">
              {tm(failure.errors._form)}
            </Notice>
          ) : null}
          {reservations.length === 0 ? (
            <Notice variant="info" role="none">
              {t("reservation:mine.none")} <Link to={`/c/${city.slug}/reserve`}>{t("reservation:mine.bookNew")}</Link>
            </Notice>
          ) : (
            <ul className="flex flex-col gap-6">
              {reservations.map((r) => (
                <li key={r.id}>
                  <Card title={t("booking:summary.serviceDose", { service: r.serviceName, dose: dose(r.dose) })}>
                    <ReservationSummary
                      rows={[
                        { key: "when", label: t("booking:summary.when"), value: formatDateTimeIn(lang, r.startsAt) },
                        {
                          key: "venue",
                          label: t("booking:summary.venue"),
                          value: `${r.venue.name}（${r.venue.address}）`,
                        },
                        {
                          key: "code",
                          label: t("booking:summary.code"),
                          value: <span className="font-mono font-bold tracking-[0.1em]">{r.confirmationCode}</span>,
                        },
                        {
                          key: "channel",
                          label: t("booking:summary.channel"),
                          value: t(`booking:channel.${r.channel}`),
                        },
                        ...(r.proxyRelation
                          ? [
                              {
                                key: "proxy",
                                label: t("booking:summary.proxy"),
                                value: t("booking:summary.proxyBy", {
                                  relation: raw(`booking:relation.${r.proxyRelation}`),
                                }),
                              },
                            ]
                          : []),
                      ]}
                    />
                    <HolderLineLink
                      reservationId={r.id}
                      state={r.line}
                      lineIdentified={lineIdentified}
                      doseText={dose(r.dose)}
                    />
                    {r.changeable ? (
                      <div className="mt-4 flex flex-col gap-3 sm:flex-row">
                        <ButtonLink to={`${base}/${r.id}/change`}>
                          {t("reservation:mine.change")}
                          <span className="sr-only">{t("booking:summary.srSuffix", { text: dose(r.dose) })}</span>
                        </ButtonLink>
                        <ButtonLink to={`${base}/${r.id}/cancel`} variant="secondary">
                          {t("reservation:mine.cancel")}
                          <span className="sr-only">{t("booking:summary.srSuffix", { text: dose(r.dose) })}</span>
                        </ButtonLink>
                      </div>
                    ) : (
                      <p className="mt-4 font-bold">
                        {t("reservation:mine.pastCutoff", { hours: r.changeCutoffHours })}
                      </p>
                    )}
                  </Card>
                </li>
              ))}
            </ul>
          )}
          <p className="mt-8 flex">
            <Link to={`/c/${city.slug}/reserve`}>{t("reservation:mine.bookNext")}</Link>
          </p>
          <Form method="post" className="mt-6">
            <input type="hidden" name="intent" value="end" />
            <Button type="submit" variant="secondary">
              {t("reservation:mine.end")}
            </Button>
          </Form>
        </>
      ) : (
        <>
          {failure?.errors._form ? (
            <Notice variant="error" className="mb-6">
              {tm(failure.errors._form)}
              {/* Locked by too many guesses (ADR 027): the city's number right under 「お電話ください」. */}
              {failure.errors._form === IDENTITY_THROTTLED ? <CurrentCityContact className="mt-3" /> : null}
            </Notice>
          ) : null}
          {linked ? <LinkedReservationList reservations={linked} /> : null}
          {linked ? <h2 className="mb-4 text-[1.25em]">{t("reservation:mine.byTicket")}</h2> : null}
          <Form method="post" noValidate className="flex flex-col gap-8">
            <input type="hidden" name="intent" value="identify" />
            <IdentityFields values={failure?.values} errors={failure?.errors} />
            <Button type="submit" size="lg" fullWidth>
              {t("reservation:mine.submit")}
            </Button>
          </Form>
          <p className="mt-8">{t("reservation:mine.byMailHint")}</p>
          <p className="mt-1 flex">
            <Link to={`${base}/link`}>{t("reservation:mine.byMail")}</Link>
          </p>
          <p className="mt-4">{t("reservation:mine.notYetHint")}</p>
          <p className="mt-1 flex">
            <Link to={`/c/${city.slug}/reserve`}>{t("reservation:mine.book")}</Link>
          </p>
        </>
      )}
      <CurrentCityContact title={ts("reservation:mine.phoneTitle")} className="mt-10" />
    </ResidentLayout>
  );
}
