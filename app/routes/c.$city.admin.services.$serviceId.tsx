import { data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.services.$serviceId";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { ServiceForm } from "~/features/services/components/service-form";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { serviceFormValues, serviceSchema } from "~/features/services/services.schemas";
import { getService, updateService } from "~/features/services/services.server";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.name ?? "サービス"}の編集 | 管理画面` }];

export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const service = await getService(getDb(), context.get(tenantContext).id, params.serviceId);
  if (!service) throw data({ message: "サービスが見つかりません。" }, { status: 404 });
  return { name: service.name, values: serviceFormValues(service) };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const form = await readForm(request);
  const parsed = parseForm(serviceSchema, form);
  if (!parsed.ok) return parsed;
  const result = await updateService(getDb(), tenant.id, params.serviceId, parsed.data, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  if (!result.ok)
    return formFailure(
      { _form: result.message },
      Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])),
    );
  return redirect(`/c/${params.city}/admin/services?saved=${encodeURIComponent(parsed.data.name)}`);
}

export default function EditServicePage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title={`${loaderData.name}の編集`}
        description="変更は保存した時点から住民の予約ページに反映されます。すでにある予約はそのままです。"
      />
      <ServiceForm
        values={actionData?.values ?? loaderData.values}
        errors={actionData?.errors}
        busy={busy}
        submitLabel="保存する"
      />
    </>
  );
}
