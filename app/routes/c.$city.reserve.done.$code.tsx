import { Link, data } from "react-router";
import type { Route } from "./+types/c.$city.reserve.done.$code";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { reservationByCode } from "~/features/reservations/availability.server";
import { CHANNEL_LABELS, doseLabel } from "~/lib/booking-labels";
import { ReservationSummary, VenueDetails } from "~/features/reservations/components/reservation-summary";
import { NoticeChannelBlock } from "~/features/reservations/components/notice-channel-block";
import { noticePromise } from "~/features/reservations/notice-promise.server";
import { clearFlowCookie } from "~/features/reservations/resident-flow.server";
import { releaseOnDone } from "~/features/reservations/waiting-room.server";
import { CheckInBlock } from "~/features/reservations/components/check-in";
import { checkInQrSvg } from "~/features/reservations/check-in.server";
import { formatDateTimeJa, formatTimeJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export async function loader({ context, params, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const code = /^[2-9A-Z]{8}$/.test(params.code) ? params.code : null;
  const r = code ? await reservationByCode(getDb(), tenant.id, code) : null;
  if (!r)
    throw data(
      { message: "この予約番号の予約は見つかりませんでした。予約の確認・変更ページからご確認ください。" },
      { status: 404 },
    );
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
        when: `${formatDateTimeJa(r.startsAt)}〜${formatTimeJa(r.endsAt)}`,
        venue: r.venue,
        whatToBring: r.whatToBring,
        channel: r.channel,
        cutoffHours: r.changeCutoffHours,
      },
      notices: await noticePromise(getDb(), tenant.id, r.confirmationCode),
      qrSvg: await checkInQrSvg(r.confirmationCode),
    },
    { headers },
  );
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `予約が完了しました | ${data?.city.name ?? ""} オンライン窓口` },
  { name: "referrer", content: "no-referrer" },
  { name: "robots", content: "noindex" },
];

export default function ReserveDone({ loaderData }: Route.ComponentProps) {
  const { city, reservation: r, qrSvg } = loaderData;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <Notice variant="success" title="予約が完了しました" className="mb-6">
        当日は、予約番号をお控えのうえ会場へお越しください。
      </Notice>
      <PageHeader title="予約完了" />
      <div className="mb-6 rounded-12 border-4 border-blue-900 p-5 text-center">
        <p className="font-bold">予約番号</p>
        <p className="font-mono text-[2.25em] font-bold tracking-[0.15em] text-blue-1000">{r.code}</p>
        <p className="text-[0.9em]">電話でのお問い合わせの際は、この番号をお伝えください。</p>
      </div>
      <ReservationSummary
        rows={[
          { label: "予約内容", value: `${r.serviceName}（${doseLabel(r.dose)}）` },
          { label: "日時", value: r.when },
          { label: "会場", value: <VenueDetails venue={r.venue} /> },
          { label: "予約方法", value: CHANNEL_LABELS[r.channel] },
        ]}
      />
      <CheckInBlock code={r.code} qrSvg={qrSvg} calendarHref={`/c/${city.slug}/reserve/done/${r.code}/calendar.ics`} />
      {r.whatToBring ? (
        <>
          <h2 className="mt-8 text-[1.25em]">当日の持ち物</h2>
          <p className="mt-2">{r.whatToBring}</p>
        </>
      ) : null}
      <h2 className="mt-8 text-[1.25em]">予約の変更・キャンセル</h2>
      <p className="mt-2">
        日時や会場の変更、キャンセルは、接種日時の{r.cutoffHours}時間前まで{" "}
        <Link to={`/c/${city.slug}/reservation`}>予約の確認・変更</Link>{" "}
        から行えます（接種券番号と生年月日で確認します）。それを過ぎた場合は電話窓口へご連絡ください。
      </p>
      <NoticeChannelBlock promise={loaderData.notices} citySlug={city.slug} />
      <p className="mt-8 flex">
        <Link to={`/c/${city.slug}`}>{city.name} オンライン窓口のトップへ</Link>
      </p>
    </ResidentLayout>
  );
}
