import { Form, redirect } from "react-router";
import type { Route } from "./+types/c.$city.admin.contact";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { CityContact } from "~/components/city-contact";
import { CityContactFields } from "~/components/city-contact-fields";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { setCityContact } from "~/features/tenants/city-contact.server";
import { contactFormSchema, contactFormValues, readCityContact } from "~/lib/city-contact";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "問い合わせ窓口 | 管理画面" }];

export function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  return {
    cityName: tenant.name,
    contact: readCityContact(tenant.contact),
    saved: new URL(request.url).searchParams.has("saved"),
  };
}

/** Saves the 問い合わせ窓口 (ADR 031); admin only, audited. At least one number is required here. */
export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const parsed = parseForm(contactFormSchema({ required: true }), await readForm(request));
  if (!parsed.ok) return parsed;
  // `required: true` never yields null; the guard keeps the type honest.
  if (!parsed.data) return formFailure({ phone1Number: "問い合わせ先の電話番号を1件以上入力してください。" });
  await setCityContact(getDb(), tenant, parsed.data, { staffUserId: staff.user.id, ip: clientAddress(context) });
  return redirect(`/c/${params.city}/admin/contact?saved=1`);
}

export default function ContactPage({ loaderData, actionData }: Route.ComponentProps) {
  const { contact, cityName, saved } = loaderData;
  return (
    <>
      <PageHeader
        title="問い合わせ窓口"
        description="住民向けページ、予約完了ページ、メール、LINEの返信と「問い合わせ」ボタンで案内する電話番号と受付時間です。"
      />
      {saved ? (
        <Notice variant="success" className="mb-6">
          問い合わせ窓口を保存しました。住民向けの案内にすぐ反映されます。
        </Notice>
      ) : null}
      {actionData && !actionData.ok ? (
        <Notice variant="error" className="mb-6">
          入力内容に誤りがあります。各欄のメッセージをご確認ください。
        </Notice>
      ) : null}
      {!contact ? (
        <Notice variant="warning" role="none" className="mb-6">
          まだ設定されていません。設定されるまで、住民には「市役所・役場の窓口へお問い合わせください」とだけ案内されます。
        </Notice>
      ) : null}
      <div className="grid gap-10 lg:grid-cols-[minmax(0,1fr)_minmax(0,20rem)]">
        <Form method="post" noValidate className="flex max-w-xl flex-col gap-8">
          <CityContactFields
            values={actionData && !actionData.ok ? actionData.values : contactFormValues(contact)}
            errors={actionData && !actionData.ok ? actionData.errors : {}}
          />
          <div>
            <Button type="submit">保存する</Button>
          </div>
        </Form>
        <div>
          <h2 className="mb-3 text-[1.125em] font-bold">住民への表示（現在の設定）</h2>
          <CityContact contact={contact} cityName={cityName} headingLevel={3} />
        </div>
      </div>
    </>
  );
}
