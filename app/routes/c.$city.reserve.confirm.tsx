import { useState, type FormEvent } from "react";
import { Form, Link, data, redirect, useNavigate } from "react-router";
import type { Route } from "./+types/c.$city.reserve.confirm";
import { clientAddress } from "~/lib/client-address.server";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { CHANNEL_LABELS, doseLabel } from "~/lib/booking-labels";
import { ReservationSummary, VenueDetails } from "~/features/reservations/components/reservation-summary";
import { StepIndicator } from "~/features/reservations/components/step-indicator";
import { submitBooking } from "~/features/reservations/booking-door.server";
import { confirmStep, flowCookie, requireFlow } from "~/features/reservations/resident-flow.server";
import { uuidParam } from "~/features/reservations/resident-flow.schemas";
import { DB_UNAVAILABLE_REASON, DB_UNAVAILABLE_TITLE } from "~/lib/db-unavailable";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const state = requireFlow(request, tenant, "contact");
  const slotId = uuidParam(new URL(request.url).searchParams.get("slot"));
  const step = slotId ? await confirmStep(getDb(), tenant.id, state, slotId) : null;
  if (!step) throw redirect(`/c/${tenant.slug}/reserve/venue`);
  return data(
    // A new key for every showing of the page: a double click or a resent form books once.
    {
      city: { slug: tenant.slug, name: tenant.name },
      ...step,
      contact: state.contact!,
      channel: state.channel,
      idempotencyKey: crypto.randomUUID(),
    },
    { headers: { "Set-Cookie": flowCookie(tenant, state) } },
  );
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `予約：内容の確認 | ${data?.city.name ?? ""} オンライン窓口` },
];

export async function action({ request, params, context }: Route.ActionArgs) {
  const form = await readForm(request).catch(() => null);
  const url = new URL(request.url);
  const outcome = await submitBooking({
    citySlug: params.city,
    method: request.method,
    pathname: url.pathname,
    selfOrigin: url.origin,
    headers: request.headers,
    fields: form ? Object.fromEntries(form) : null,
    ip: clientAddress(context),
  });
  if (outcome.ok) return redirect(outcome.redirectTo);
  if (outcome.redirectTo) return redirect(outcome.redirectTo);
  // The page's middleware answers these first (root: CSRF; tenant: unknown or closed city).
  if (outcome.status !== 200 && outcome.status !== 400)
    throw data({ message: outcome.message, reason: outcome.reason }, { status: outcome.status });
  return { ok: false as const, reason: outcome.reason, message: outcome.message };
}

export default function ReserveConfirm({ loaderData, actionData }: Route.ComponentProps) {
  const { city, slot, service, dose, problem, contact, channel, idempotencyKey } = loaderData;
  const base = `/c/${city.slug}/reserve`;
  const submit = useJsonSubmit(city.slug, slot.id, idempotencyKey);
  const refusal = submit.refusal ?? (actionData && !actionData.ok ? actionData : null);
  const message = refusal?.message ?? problem;
  // 「ただいま混み合っています」 (the database away, ADR 029): nothing was booked; the same form and
  // idempotency key stay, so sending again books at most once.
  const busy = refusal?.reason === DB_UNAVAILABLE_REASON;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={5} />
      <PageHeader
        title="予約内容の確認"
        description="内容をご確認のうえ、「この内容で予約する」を押してください。まだ予約は完了していません。"
      />
      {busy ? (
        <Notice variant="warning" className="mb-6" title={DB_UNAVAILABLE_TITLE}>
          <p>{message}</p>
        </Notice>
      ) : message ? (
        <Notice variant="error" className="mb-6" title="予約できませんでした">
          <p>{message}</p>
          <p className="mt-2 flex flex-wrap gap-x-6">
            {refusal?.reason === "already-booked" || refusal?.reason === "all-doses-done" ? (
              <Link to={`/c/${city.slug}/reservation`}>予約の確認・変更へ</Link>
            ) : (
              <Link to={`${base}/slot?venue=${slot.venueId}`}>別の日時を選ぶ</Link>
            )}
            <Link to={`${base}/venue`}>別の会場を選ぶ</Link>
          </p>
        </Notice>
      ) : null}
      {message ? <CurrentCityContact title="電話でのご予約・お問い合わせ" className="mb-6" /> : null}
      <ReservationSummary
        rows={[
          { label: "予約内容", value: `${service.name}（${doseLabel(dose)}）` },
          { label: "日時", value: `${slot.when}〜${slot.endTime}` },
          { label: "会場", value: <VenueDetails venue={slot.venue} /> },
          { label: "お名前", value: contact.name },
          { label: "電話番号", value: contact.phone || "（なし）" },
          { label: "メールアドレス", value: contact.email || "（なし）" },
          { label: "予約方法", value: CHANNEL_LABELS[channel] },
        ]}
      />
      {service.whatToBring ? (
        <p className="mt-4">
          <span className="font-bold">当日の持ち物：</span>
          {service.whatToBring}
        </p>
      ) : null}
      {!message || busy ? (
        <Form method="post" className="mt-8" onSubmit={submit.onSubmit}>
          <input type="hidden" name="slot" value={slot.id} />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <Button type="submit" size="lg" fullWidth disabled={submit.pending} aria-disabled={submit.pending}>
            {submit.pending ? "送信しています…" : busy ? "もう一度送信する" : "この内容で予約する"}
          </Button>
        </Form>
      ) : null}
      <p className="mt-8 flex flex-wrap gap-x-6 gap-y-2">
        <Link to={`${base}/slot?venue=${slot.venueId}`}>日時を選びなおす</Link>
        <Link to={`${base}/contact`}>連絡先を修正する</Link>
        <Link to={base}>最初からやり直す</Link>
      </p>
    </ResidentLayout>
  );
}

type Refusal = { reason: string; message: string };

/**
 * With JavaScript, the booking goes to the small JSON endpoint (booking-api.server.ts) — the cheap
 * path in an opening rush — and the page moves on to the done page. Without JavaScript the form
 * posts to this route's action. If the request itself fails (network), the form is submitted the
 * plain way with the same idempotency key: at most one booking either way.
 */
function useJsonSubmit(citySlug: string, slotId: string, idempotencyKey: string) {
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    if (pending) return;
    setPending(true);
    try {
      const res = await fetch(`/c/${citySlug}/reserve/book`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ slot: slotId, idempotencyKey }),
        credentials: "same-origin",
      });
      const body = (await res.json()) as { ok: boolean; redirectTo?: string } & Partial<Refusal>;
      if (body.redirectTo) return void navigate(body.redirectTo);
      setRefusal({
        reason: body.reason ?? "error",
        message: body.message ?? "予約できませんでした。もう一度お試しください。",
      });
      setPending(false);
    } catch {
      form.submit();
    }
  }
  return { pending, refusal, onSubmit };
}
