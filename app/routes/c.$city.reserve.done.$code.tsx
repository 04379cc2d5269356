import { Link, data } from "react-router";
import type { Route } from "./+types/c.$city.reserve.done.$code";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { reservationByCode } from "~/features/reservations/availability.server";
import { ReservationSummary, VenueDetails } from "~/features/reservations/components/reservation-summary";
import { NoticeChannelBlock } from "~/features/reservations/components/notice-channel-block";
import { noticePromise } from "~/features/reservations/notice-promise.server";
import { clearFlowCookie } from "~/features/reservations/resident-flow.server";
import { releaseOnDone } from "~/features/reservations/waiting-room.server";
import { CheckInBlock } from "~/features/reservations/components/check-in";
import { checkInQrSvg } from "~/features/reservations/check-in.server";
import { formatDateTimeIn, formatTimeJa } from "~/lib/japan-time";
import { ja } from "~/lib/i18n/messages";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";

export async function loader({ context, params, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const code = /^[2-9A-Z]{8}$/.test(params.code) ? params.code : null;
  const r = code ? await reservationByCode(getDb(), tenant.id, code) : null;
  if (!r) throw data({ message: ja("booking:done.notFound") }, { status: 404 });
  // The booking is done: the flow's cookie (holder id, contact) is no longer needed, and the waiting
  // room's place (ADR 025) goes to the next resident in line.
  const headers = new Headers({ "Set-Cookie": clearFlowCookie(tenant) });
  const released = await releaseOnDone(request, tenant);
  if (released) headers.append("Set-Cookie", released);
  return data(
    {
      city: { slug: tenant.slug, name: tenant.name },
      reservation: {
        code: r.confirmationCode,
        dose: r.dose,
        serviceName: r.serviceName,
        // The whole range (14:00〜14:30): residents plan the visit, and the venue's flow, by it.
        startsAt: r.startsAt,
        endTime: formatTimeJa(r.endsAt),
        venue: r.venue,
        whatToBring: r.whatToBring,
        channel: r.channel,
        cutoffHours: r.changeCutoffHours,
        proxyRelation: r.proxyRelation,
      },
      notices: await noticePromise(getDb(), tenant.id, r.confirmationCode),
      qrSvg: await checkInQrSvg(r.confirmationCode),
    },
    { headers },
  );
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "booking:title.done", data?.city.name) },
  { name: "referrer", content: "no-referrer" },
  { name: "robots", content: "noindex" },
];

export default function ReserveDone({ loaderData }: Route.ComponentProps) {
  const { city, reservation: r, qrSvg } = loaderData;
  const { lang, t, raw } = useT();
  const relation = r.proxyRelation ? raw(`booking:relation.${r.proxyRelation}`) : null;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <Notice variant="success" title={t("booking:done.noticeTitle")} className="mb-6">
        {t(relation ? "booking:done.noticeProxy" : "booking:done.notice")}
      </Notice>
      <PageHeader title={t("booking:done.title")} />
      <div className="mb-6 rounded-12 border-4 border-blue-900 p-5 text-center">
        <p className="font-bold">{t("booking:done.code")}</p>
        <p className="font-mono text-[2.25em] font-bold tracking-[0.15em] text-blue-1000">{r.code}</p>
        <p className="text-[0.9em]">{t("booking:done.codeHint")}</p>
      </div>
      <ReservationSummary
        rows={[
          {
            key: "service",
            label: t("booking:summary.service"),
            value: t("booking:summary.serviceDose", {
              service: r.serviceName,
              dose: raw("booking:dose", { count: r.dose }),
            }),
          },
          {
            key: "when",
            label: t("booking:summary.when"),
            value: t("booking:summary.range", { from: formatDateTimeIn(lang, r.startsAt), to: r.endTime }),
          },
          { key: "venue", label: t("booking:summary.venue"), value: <VenueDetails venue={r.venue} /> },
          { key: "channel", label: t("booking:summary.channel"), value: t(`booking:channel.${r.channel}`) },
          ...(relation
            ? [{ key: "proxy", label: t("booking:summary.proxy"), value: t("booking:summary.proxyBy", { relation }) }]
            : []),
        ]}
      />
      <CheckInBlock code={r.code} qrSvg={qrSvg} calendarHref={`/c/${city.slug}/reserve/done/${r.code}/calendar.ics`} />
      {r.whatToBring ? (
        <>
          <h2 className="mt-8 text-[1.25em]">{t("booking:done.bring")}</h2>
          <p className="mt-2">{r.whatToBring}</p>
        </>
      ) : null}
      <h2 className="mt-8 text-[1.25em]">{t("booking:done.changeTitle")}</h2>
      <p className="mt-2">{t("booking:done.change", { hours: r.cutoffHours })}</p>
      <p className="mt-1 flex">
        <Link to={`/c/${city.slug}/reservation`}>{t("booking:done.manage")}</Link>
      </p>
      <NoticeChannelBlock promise={loaderData.notices} citySlug={city.slug} />
      <p className="mt-8 flex">
        <Link to={`/c/${city.slug}`}>{t("booking:done.home", { city: city.name })}</Link>
      </p>
    </ResidentLayout>
  );
}
