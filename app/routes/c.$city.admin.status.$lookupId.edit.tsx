import { data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.status.$lookupId.edit";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { getLookup, updateLookup } from "~/features/status-lookup/admin.server";
import { LookupForm } from "~/features/status-lookup/components/lookup-form";
import { keyFormatOf, statusLines } from "~/features/status-lookup/keys";
import { lookupSchema } from "~/features/status-lookup/status-lookup.schemas";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "照会を編集 | 管理画面" }];

export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const l = await getLookup(getDb(), context.get(tenantContext).id, params.lookupId, new Date());
  if (!l) throw data({ message: "照会が見つかりません。" }, { status: 404 });
  return {
    values: {
      title: l.title,
      keyLabel: l.keyLabel,
      ...keyFormatOf(l.keyPattern),
      statuses: statusLines(l.statuses),
      note: l.note,
      opensOn: l.opensOn,
      closesOn: l.closesOn,
      contact: l.contact,
      purgeAfterDays: String(l.purgeAfterDays),
    },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const parsed = parseForm(lookupSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const ok = await updateLookup(getDb(), context.get(tenantContext).id, params.lookupId, parsed.data, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  if (!ok) return formFailure({ _form: "照会が見つかりません。" });
  return redirect(`/c/${params.city}/admin/status/${params.lookupId}`);
}

export default function EditLookupPage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title="照会を編集"
        description="状況名を変えずに残した状況は、取り込み済みの行もそのまま使えます。状況名を変えた行は、取り込み直すまで「該当なし」と答えます。"
      />
      <LookupForm
        values={actionData?.values ?? loaderData.values}
        errors={actionData?.errors}
        busy={busy}
        submitLabel="保存する"
      />
    </>
  );
}
