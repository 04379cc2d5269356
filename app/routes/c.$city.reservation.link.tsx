import { Form, Link } from "react-router";
import type { Route } from "./+types/c.$city.reservation.link";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { requestReservationLink } from "~/features/reservations/access-link.server";
import { formStrings, linkRequestSchema } from "~/features/reservations/resident-flow.schemas";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";

export function loader({ context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  return { city: { slug: tenant.slug, name: tenant.name } };
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "reservation:title.link", data?.city.name) },
];

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const form = await readForm(request);
  const parsed = parseForm(linkRequestSchema, form);
  if (!parsed.ok) return { ...parsed, values: formStrings(form) };
  const result = await requestReservationLink(getDb(), masterKey(env().MADOGUCHI_MASTER_KEY), {
    tenantId: tenant.id,
    ...parsed.data,
    ip: clientAddress(context),
  });
  return { ok: true as const, sent: result };
}

export default function ReservationLinkPage({ loaderData, actionData }: Route.ComponentProps) {
  const { city } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  const sent = actionData?.ok ? actionData.sent : null;
  const { t, tm } = useT();
  const err = (field: "ticketNumber" | "email") => (failure?.errors[field] ? tm(failure.errors[field]) : undefined);
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader title={t("reservation:title.link")} description={t("reservation:link.lead")} />
      {sent ? (
        <Notice variant={sent.ok ? "success" : "warning"} className="mb-6">
          {tm(sent.message)}
        </Notice>
      ) : null}
      <Form method="post" noValidate className="flex flex-col gap-8">
        <TextField
          label={t("booking:ticket.label")}
          name="ticketNumber"
          inputMode="numeric"
          autoComplete="off"
          required
          defaultValue={failure?.values.ticketNumber}
          error={err("ticketNumber")}
        />
        <TextField
          label={t("reservation:link.email")}
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={failure?.values.email}
          error={err("email")}
        />
        <Button type="submit" size="lg" fullWidth>
          {t("reservation:link.submit")}
        </Button>
      </Form>
      <p className="mt-8">
        <Link to={`/c/${city.slug}/reservation`}>{t("reservation:link.byTicket")}</Link>
      </p>
    </ResidentLayout>
  );
}
