import { data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.venues.$venueId";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { VenueForm } from "~/features/venues/components/venue-form";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { venueFormValues, venueSchema } from "~/features/venues/venues.schemas";
import { getVenue, updateVenue } from "~/features/venues/venues.server";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.name ?? "会場"}の編集 | 管理画面` }];

export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const venue = await getVenue(getDb(), context.get(tenantContext).id, params.venueId);
  if (!venue) throw data({ message: "会場が見つかりません。" }, { status: 404 });
  return { name: venue.name, id: venue.id, values: venueFormValues(venue) };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const form = await readForm(request);
  const parsed = parseForm(venueSchema, form);
  if (!parsed.ok) return parsed;
  const result = await updateVenue(getDb(), context.get(tenantContext).id, params.venueId, parsed.data, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  if (!result.ok)
    return formFailure(
      { _form: result.message },
      Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])),
    );
  return redirect(`/c/${params.city}/admin/venues?saved=${encodeURIComponent(parsed.data.name)}`);
}

export default function EditVenuePage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title={`${loaderData.name}の編集`}
        description={
          <>
            会場ID（CSV取り込み用）: <span className="font-mono">{loaderData.id}</span>
          </>
        }
      />
      <VenueForm
        values={actionData?.values ?? loaderData.values}
        errors={actionData?.errors}
        busy={busy}
        submitLabel="保存する"
      />
    </>
  );
}
