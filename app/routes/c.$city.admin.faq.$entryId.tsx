import { Form, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.faq.$entryId";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { deleteFaqEntry, getFaqEntry, updateFaqEntry } from "~/features/faq/admin.server";
import { FaqForm } from "~/features/faq/components/faq-form";
import { faqEntrySchema, faqFormValues } from "~/features/faq/faq.schemas";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "質問の編集 | 管理画面" }];

export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const entry = await getFaqEntry(getDb(), context.get(tenantContext).id, params.entryId);
  if (!entry) throw data({ message: "質問が見つかりません。" }, { status: 404 });
  return { question: entry.question, values: faqFormValues(entry) };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const form = await readForm(request);
  const tenantId = context.get(tenantContext).id;
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  const values = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]));
  if (form.get("intent") === "delete") {
    const result = await deleteFaqEntry(getDb(), tenantId, params.entryId, actor);
    if (!result.ok) return formFailure({ _form: result.message }, values);
    return redirect(`/c/${params.city}/admin/faq`);
  }
  const parsed = parseForm(faqEntrySchema, form);
  if (!parsed.ok) return parsed;
  const result = await updateFaqEntry(getDb(), tenantId, params.entryId, parsed.data, actor);
  if (!result.ok) return formFailure({ _form: result.message }, values);
  return redirect(`/c/${params.city}/admin/faq?saved=${encodeURIComponent(parsed.data.question)}`);
}

export default function EditFaqPage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader title="質問の編集" description={loaderData.question} />
      <FaqForm
        values={actionData?.values ?? loaderData.values}
        errors={actionData?.errors}
        busy={busy}
        submitLabel="保存する"
      />
      <Form method="post" className="mt-10">
        <input type="hidden" name="intent" value="delete" />
        <Button type="submit" variant="danger" disabled={busy}>
          この質問を削除する
        </Button>
      </Form>
    </>
  );
}
