import { data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.faq.new";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { createFaqEntry, getUnanswered, promoteUnanswered } from "~/features/faq/admin.server";
import { FaqForm } from "~/features/faq/components/faq-form";
import { faqEntrySchema } from "~/features/faq/faq.schemas";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "質問を追加 | 管理画面" }];

/** `?from=<id>`: promote a 未回答 question — its text prefilled, and it leaves the list on save. */
export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const from = new URL(request.url).searchParams.get("from");
  const unanswered = from ? await getUnanswered(getDb(), context.get(tenantContext).id, from) : null;
  if (from && !unanswered)
    throw data({ message: "未回答の質問が見つかりません（すでに登録済みかもしれません）。" }, { status: 404 });
  return {
    from: unanswered?.id ?? null,
    asked: unanswered?.count ?? null,
    values: { question: unanswered?.text ?? "", answer: "", category: "", variants: "", published: "on" },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const form = await readForm(request);
  const parsed = parseForm(faqEntrySchema, form);
  if (!parsed.ok) return parsed;
  const tenantId = context.get(tenantContext).id;
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  const from = form.get("from");
  if (typeof from === "string" && from) {
    const result = await promoteUnanswered(getDb(), tenantId, from, parsed.data, actor);
    if (!result.ok)
      return formFailure({ _form: result.message }, Object.fromEntries([...form].map(([k, v]) => [k, String(v)])));
  } else await createFaqEntry(getDb(), tenantId, parsed.data, actor);
  return redirect(`/c/${params.city}/admin/faq?saved=${encodeURIComponent(parsed.data.question)}`);
}

export default function NewFaqPage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title={loaderData.from ? "未回答の質問をFAQに登録" : "質問を追加"}
        description={
          loaderData.from
            ? `LINEで${loaderData.asked}回尋ねられた質問です。回答と分野を書いて登録すると、未回答の一覧から外れます。`
            : "公開すると、LINEの自動応答と公開のFAQページにすぐ使われます。"
        }
      />
      <FaqForm
        values={actionData?.values ?? loaderData.values}
        errors={actionData?.errors}
        busy={busy}
        submitLabel="登録する"
        fromUnanswered={loaderData.from}
      />
    </>
  );
}
