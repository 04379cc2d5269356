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

// The link only shows a button: opening it (or a mail scanner fetching it) uses nothing; the
// resident's press (POST) spends it once and opens "my reservation" (ADR 027).
export function loader({ context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  return { city: { slug: tenant.slug, name: tenant.name } };
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `予約を確認する | ${data?.city.name ?? ""} オンライン窓口` },
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
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <PageHeader title="予約を確認する" description="下のボタンを押すと、ご予約の内容を表示します。" />
      {actionData && !actionData.ok ? (
        <>
          <Notice variant="error" className="mb-6">
            {actionData.message}
          </Notice>
          <p>
            <Link to={`/c/${city.slug}/reservation/link`}>メールで予約を確認する</Link>
          </p>
        </>
      ) : (
        <Form method="post">
          <Button type="submit" size="lg" fullWidth>
            予約を表示する
          </Button>
        </Form>
      )}
    </ResidentLayout>
  );
}
