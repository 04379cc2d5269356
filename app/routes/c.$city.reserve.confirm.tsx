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
import { ReservationSummary, VenueDetails } from "~/features/reservations/components/reservation-summary";
import { StepIndicator } from "~/features/reservations/components/step-indicator";
import { submitBooking } from "~/features/reservations/booking-door.server";
import { confirmStep, flowCookie, requireFlow } from "~/features/reservations/resident-flow.server";
import { uuidParam } from "~/features/reservations/resident-flow.schemas";
import { DB_UNAVAILABLE_REASON } from "~/lib/db-unavailable";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";
import { formatDateTimeIn } from "~/lib/japan-time";
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
      family: Boolean(state.family),
      channel: state.channel,
      idempotencyKey: crypto.randomUUID(),
    },
    { headers: { "Set-Cookie": flowCookie(tenant, state) } },
  );
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "booking:title.confirm", data?.city.name) },
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
  const { city, slot, service, dose, problem, contact, family, channel, idempotencyKey } = loaderData;
  const base = `/c/${city.slug}/reserve`;
  const { lang, t, ts, tm, raw } = useT();
  const submit = useJsonSubmit(city.slug, slot.id, idempotencyKey, ts("booking:errors.bookFailed"));
  const refusal = submit.refusal ?? (actionData && !actionData.ok ? actionData : null);
  const message = refusal?.message ?? problem;
  // 「ただいま混み合っています」 (the database away, ADR 029): nothing was booked; the same form and
  // idempotency key stay, so sending again books at most once.
  const busy = refusal?.reason === DB_UNAVAILABLE_REASON;
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={5} />
      <PageHeader title={t("booking:confirm.title")} description={t("booking:confirm.lead")} />
      {busy ? (
        <Notice variant="warning" className="mb-6" title={t("booking:busy.title")}>
          <p>{tm(message ?? "")}</p>
        </Notice>
      ) : message ? (
        <Notice variant="error" className="mb-6" title={t("booking:confirm.failed")}>
          <p>{tm(message)}</p>
          <p className="mt-2 flex flex-wrap gap-x-6">
            {refusal?.reason === "already-booked" || refusal?.reason === "all-doses-done" ? (
              <Link to={`/c/${city.slug}/reservation`}>{t("booking:confirm.manage")}</Link>
            ) : (
              <Link to={`${base}/slot?venue=${slot.venueId}`}>{t("booking:confirm.otherTime")}</Link>
            )}
            <Link to={`${base}/venue`}>{t("booking:confirm.otherVenue")}</Link>
          </p>
        </Notice>
      ) : null}
      {message ? <CurrentCityContact title={ts("booking:confirm.phoneTitle")} className="mb-6" /> : null}
      <ReservationSummary
        rows={[
          {
            key: "service",
            label: t("booking:summary.service"),
            value: t("booking:summary.serviceDose", {
              service: service.name,
              dose: raw("booking:dose", { count: dose }),
            }),
          },
          {
            key: "when",
            label: t("booking:summary.when"),
            value: t("booking:summary.range", { from: formatDateTimeIn(lang, slot.startsAt), to: slot.endTime }),
          },
          { key: "venue", label: t("booking:summary.venue"), value: <VenueDetails venue={slot.venue} /> },
          { key: "name", label: t("booking:summary.name"), value: contact.name },
          ...(family && contact.proxyName && contact.relation
            ? [
                {
                  key: "proxy",
                  label: t("booking:summary.proxy"),
                  value: t("booking:summary.proxyValue", {
                    name: contact.proxyName,
                    relation: raw(`booking:relation.${contact.relation}`),
                  }),
                },
              ]
            : []),
          { key: "phone", label: t("booking:summary.phone"), value: contact.phone || t("booking:summary.none") },
          { key: "email", label: t("booking:summary.email"), value: contact.email || t("booking:summary.none") },
          { key: "channel", label: t("booking:summary.channel"), value: t(`booking:channel.${channel}`) },
        ]}
      />
      {service.whatToBring ? (
        <p className="mt-4">
          <span className="font-bold">{t("booking:confirm.bring")}</span>
          {service.whatToBring}
        </p>
      ) : null}
      {!message || busy ? (
        <Form method="post" className="mt-8" onSubmit={submit.onSubmit}>
          <input type="hidden" name="slot" value={slot.id} />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <Button type="submit" size="lg" fullWidth disabled={submit.pending} aria-disabled={submit.pending}>
            {t(submit.pending ? "booking:confirm.sending" : busy ? "booking:confirm.resend" : "booking:confirm.submit")}
          </Button>
        </Form>
      ) : null}
      <p className="mt-8 flex flex-wrap gap-x-6 gap-y-2">
        <Link to={`${base}/slot?venue=${slot.venueId}`}>{t("booking:confirm.rechoose")}</Link>
        <Link to={`${base}/contact`}>{t("booking:venue.editContact")}</Link>
        <Link to={base}>{t("booking:contact.restart")}</Link>
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
function useJsonSubmit(citySlug: string, slotId: string, idempotencyKey: string, failedText: string) {
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
        message: body.message ?? failedText,
      });
      setPending(false);
    } catch {
      form.submit();
    }
  }
  return { pending, refusal, onSubmit };
}
