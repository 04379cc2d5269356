import { redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.status.new";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { createLookup } from "~/features/status-lookup/admin.server";
import { LookupForm } from "~/features/status-lookup/components/lookup-form";
import { lookupSchema } from "~/features/status-lookup/status-lookup.schemas";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "照会を作成 | 管理画面" }];

export function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  return null;
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const parsed = parseForm(lookupSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const row = await createLookup(getDb(), context.get(tenantContext).id, parsed.data, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return redirect(`/c/${params.city}/admin/status/${row.id}?created=1`);
}

export default function NewLookupPage({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title="照会を作成"
        description="住民が入力する番号の名前と形式、状況ごとに住民に見せる文、受付期間、問い合わせ先を設定します。"
      />
      <LookupForm values={actionData?.values} errors={actionData?.errors} busy={busy} />
    </>
  );
}
