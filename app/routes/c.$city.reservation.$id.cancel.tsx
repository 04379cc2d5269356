import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reservation.$id.cancel";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { doseLabel } from "~/lib/booking-labels";
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
      when: r.when,
      venue: r.venue,
      code: r.confirmationCode,
      changeable: r.changeable,
    },
  };
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `予約のキャンセル | ${data?.city.name ?? ""} オンライン窓口` },
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
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader
        title="予約のキャンセル"
        description={`${r.serviceName}（${doseLabel(r.dose)}）の予約をキャンセルします。`}
      />
      <ReservationSummary
        rows={[
          { label: "日時", value: r.when },
          { label: "会場", value: <VenueDetails venue={r.venue} /> },
          { label: "予約番号", value: <span className="font-mono font-bold tracking-[0.1em]">{r.code}</span> },
        ]}
      />
      {refusal ? (
        <Notice variant="error" className="mt-6" title="キャンセルできませんでした">
          {refusal.message}
        </Notice>
      ) : null}
      {!r.changeable && !refusal ? (
        <Notice variant="warning" className="mt-6">
          {REFUSAL_MESSAGES["past-cutoff"]}
        </Notice>
      ) : null}
      {r.changeable && !refusal ? (
        <>
          <p className="mt-6 text-[1.125em] font-bold">
            この予約をキャンセルしてよろしいですか。キャンセルした枠は、ほかの方が予約できるようになります。
          </p>
          <Form method="post" className="mt-6 flex flex-col gap-4 sm:flex-row sm:items-center">
            <Button type="submit" variant="danger" size="lg">
              予約をキャンセルする
            </Button>
            <Link to={base}>キャンセルしないで戻る</Link>
          </Form>
        </>
      ) : (
        <p className="mt-6 flex">
          <Link to={base}>予約の一覧へ戻る</Link>
        </p>
      )}
      <CurrentCityContact title="電話でのお問い合わせ" className="mt-10" />
    </ResidentLayout>
  );
}
