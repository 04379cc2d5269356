import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/c.$city.reserve.contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { LineLinkField, wantsLineLink } from "~/features/liff/components/line-link-field";
import { getLineIdentity } from "~/features/liff/identity.server";
import { StepIndicator } from "~/features/reservations/components/step-indicator";
import { flowCookie, linkFlowToLine, requireFlow } from "~/features/reservations/resident-flow.server";
import { contactSchema, lineLinkedContactSchema } from "~/features/reservations/resident-flow.schemas";
import { parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const state = requireFlow(request, tenant);
  // LIFF may have verified the resident only after the first page was sent: offer the link here too.
  const lineLinked = Boolean(state.lineUserId);
  const canLinkLine = !lineLinked && getLineIdentity(request, tenant) !== null;
  return { city: { slug: tenant.slug, name: tenant.name }, contact: state.contact ?? null, lineLinked, canLinkLine };
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `予約：連絡先 | ${data?.city.name ?? ""} オンライン窓口` },
];

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const state = requireFlow(request, tenant);
  const form = await readForm(request);
  const line = !state.lineUserId && wantsLineLink(form) ? getLineIdentity(request, tenant) : null;
  // Linked to the verified LINE account (before or now): the notices go there, phone/e-mail optional.
  const parsed = parseForm(state.lineUserId || line ? lineLinkedContactSchema : contactSchema, form);
  if (!parsed.ok) return parsed;
  const next = { ...(line ? linkFlowToLine(state, line.lineUserId) : state), contact: parsed.data };
  return redirect(`/c/${tenant.slug}/reserve/venue`, { headers: { "Set-Cookie": flowCookie(tenant, next) } });
}

export default function ReserveContact({ loaderData, actionData }: Route.ComponentProps) {
  const { city, contact, lineLinked, canLinkLine } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  const values: Record<string, string> = failure?.values ?? contact ?? {};
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <StepIndicator current={2} />
      <PageHeader title="連絡先の入力" description="ご本人の確認ができました。次に、連絡先を入力してください。" />
      <Notice variant="info" role="none" className="mb-6">
        接種会場の中止や時間の変更など、ご予約について市からお知らせする必要があるときにだけ使います。それ以外の目的には使いません。
        {lineLinked
          ? "このLINEアカウントに予約を連携しているため、予約の確認はLINEのメッセージでお届けします。電話番号とメールアドレスの入力は任意です。"
          : canLinkLine
            ? "電話番号かメールアドレスの、少なくともどちらか一つを入力してください（下でLINEに連携する場合は任意です）。"
            : "電話番号かメールアドレスの、少なくともどちらか一つを入力してください。メールアドレスを入力すると、予約の確認メールが届きます。"}
      </Notice>
      {failure ? (
        <Notice variant="error" className="mb-6">
          入力内容に誤りがあります。赤字の説明をご確認ください。
        </Notice>
      ) : null}
      <Form method="post" noValidate className="flex flex-col gap-8">
        <TextField
          label="お名前"
          name="name"
          autoComplete="name"
          required
          hint="例：山田 花子"
          defaultValue={values.name}
          error={failure?.errors.name}
        />
        <TextField
          label="電話番号"
          name="phone"
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          hint="例：090-1234-5678（ハイフンはあってもなくてもかまいません）"
          className="max-w-sm"
          defaultValue={values.phone}
          error={failure?.errors.phone}
        />
        <TextField
          label="メールアドレス"
          name="email"
          type="email"
          autoComplete="email"
          hint="例：hanako@example.jp"
          defaultValue={values.email}
          error={failure?.errors.email}
        />
        {canLinkLine ? <LineLinkField defaultChecked={failure ? values.linkLine === "1" : true} /> : null}
        <Button type="submit" size="lg" fullWidth>
          次へ（会場を選ぶ）
        </Button>
      </Form>
      <p className="mt-8 flex">
        <Link to={`/c/${city.slug}/reserve`}>最初からやり直す</Link>
      </p>
    </ResidentLayout>
  );
}
