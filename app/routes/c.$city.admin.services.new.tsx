import { redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.services.new";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { ServiceForm } from "~/features/services/components/service-form";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { defaultReminderFormValues } from "~/features/services/reminder-fields";
import { serviceSchema } from "~/features/services/services.schemas";
import { createService } from "~/features/services/services.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "サービスを追加 | 管理画面" }];

export function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  // Age rules usually refer to the end of the fiscal year (31 March) that the service runs in.
  const today = tokyoDateOf(new Date());
  const fiscalYearEnd = `${Number(today.slice(0, 4)) + (today.slice(5) > "03-31" ? 1 : 0)}-03-31`;
  return {
    defaults: {
      doses: "1",
      minIntervalDays: "0",
      ageReferenceDate: fiscalYearEnd,
      bookingWindowDays: "30",
      changeCutoffHours: "24",
      active: "on",
      ...defaultReminderFormValues(),
    },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const parsed = parseForm(serviceSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const service = await createService(getDb(), tenant.id, parsed.data, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return redirect(`/c/${params.city}/admin/services?saved=${encodeURIComponent(service.name)}`);
}

export default function NewServicePage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader title="サービスを追加" />
      <ServiceForm
        values={actionData?.values ?? loaderData.defaults}
        errors={actionData?.errors}
        busy={busy}
        submitLabel="登録する"
      />
    </>
  );
}
