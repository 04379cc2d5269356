import { redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.venues.new";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { VenueForm } from "~/features/venues/components/venue-form";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { venueSchema } from "~/features/venues/venues.schemas";
import { createVenue } from "~/features/venues/venues.server";
import { parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "会場を追加 | 管理画面" }];

export function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  return null;
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const parsed = parseForm(venueSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const venue = await createVenue(getDb(), context.get(tenantContext).id, parsed.data, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return redirect(`/c/${params.city}/admin/venues?saved=${encodeURIComponent(venue.name)}`);
}

export default function NewVenuePage({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader title="会場を追加" />
      <VenueForm
        values={actionData?.values ?? { active: "on" }}
        errors={actionData?.errors}
        busy={busy}
        submitLabel="登録する"
      />
    </>
  );
}
