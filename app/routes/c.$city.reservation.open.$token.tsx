import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reservation.open.$token";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { LINK_INVALID, openReservationLink } from "~/features/reservations/access-link.server";
import { mineCookie } from "~/features/reservations/resident-flow.server";
import { tenantContext } from "~/tenants/context";
import { residentTitle } from "~/lib/i18n/meta";
import { useT } from "~/lib/i18n/react";

// The link only shows a button: opening it (or a mail scanner fetching it) uses nothing; the
// resident's press (POST) spends it once and opens "my reservation" (ADR 027).
export function loader({ context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  return { city: { slug: tenant.slug, name: tenant.name } };
}

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: residentTitle(matches, "reservation:title.open", data?.city.name) },
];

export async function action({ context, params }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const ticketHolderId = await openReservationLink(getDb(), tenant.id, params.token);
  if (!ticketHolderId) return { ok: false as const, message: LINK_INVALID };
  return redirect(`/c/${tenant.slug}/reservation`, {
    headers: { "Set-Cookie": mineCookie(tenant, { ticketHolderId }) },
  });
}

export default function OpenReservationLink({ loaderData, actionData }: Route.ComponentProps) {
  const { city } = loaderData;
  const { t, tm } = useT();
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader title={t("reservation:title.open")} description={t("reservation:open.lead")} />
      {actionData && !actionData.ok ? (
        <>
          <Notice variant="error" className="mb-6">
            {tm(actionData.message)}
          </Notice>
          <p>
            <Link to={`/c/${city.slug}/reservation/link`}>{t("reservation:title.link")}</Link>
          </p>
        </>
      ) : (
        <Form method="post">
          <Button type="submit" size="lg" fullWidth>
            {t("reservation:open.submit")}
          </Button>
        </Form>
      )}
    </ResidentLayout>
  );
}
