import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.shelters.$shelterId";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { CheckboxField, TextAreaField } from "~/components/ui/fields";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { saveShelter, shelterForEdit } from "~/features/shelters/admin.server";
import { HAZARD_LABELS, HAZARDS } from "~/features/shelters/hazards";
import { shelterFormSchema } from "~/features/shelters/shelters.schemas";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "避難所の編集 | 管理画面" }];

// "new" adds a place by hand; otherwise the hand edit of one shelter (imported or not).
export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  if (params.shelterId === "new") return { isNew: true, values: {} as Record<string, string> };
  const s = await shelterForEdit(getDb(), context.get(tenantContext).id, params.shelterId);
  if (!s) throw data({ message: "避難所が見つかりません。" }, { status: 404 });
  const values: Record<string, string> = {
    name: s.name,
    address: s.address,
    latitude: String(s.latitude),
    longitude: String(s.longitude),
    area: s.area ?? "",
    note: s.note,
    phone: s.phone ?? "",
    capacity: s.capacity === null ? "" : String(s.capacity),
    ...(s.welfare ? { welfare: "on" } : {}),
    ...(s.designatedShelter ? { designatedShelter: "on" } : {}),
    ...Object.fromEntries(s.hazards.map((h) => [`hazard_${h}`, "on"])),
  };
  return { isNew: false, values };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const parsed = parseForm(shelterFormSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const id = await saveShelter(getDb(), tenant.id, params.shelterId === "new" ? null : params.shelterId, parsed.data, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  if (!id) throw data({ message: "避難所が見つかりません。" }, { status: 404 });
  return redirect(`/c/${tenant.slug}/admin/shelters`);
}

export default function ShelterEditPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const values = actionData?.values ?? loaderData.values;
  const errors = actionData?.errors ?? {};
  const text = (name: string, label: string, extra: Record<string, unknown> = {}) => (
    <TextField label={label} name={name} defaultValue={values[name] ?? ""} error={errors[name]} {...extra} />
  );
  return (
    <>
      <PageHeader
        title={loaderData.isNew ? "避難所の追加" : "避難所の編集"}
        description="地区・メモ・電話番号は市の項目で、国土地理院データを取り込み直しても上書きされません。"
      />
      {Object.keys(errors).length ? (
        <Notice variant="error" className="mb-6">
          入力内容を確認してください。
        </Notice>
      ) : null}
      <Form method="post" className="max-w-2xl space-y-6" noValidate>
        {text("name", "施設・場所名", { required: true })}
        {text("address", "住所")}
        {text("latitude", "緯度", { inputMode: "decimal", required: true, hint: "例：34.2689" })}
        {text("longitude", "経度", { inputMode: "decimal", required: true, hint: "例：135.3626" })}
        {text("area", "地区")}
        {text("capacity", "収容人数", { inputMode: "numeric" })}
        {text("phone", "電話番号")}
        <TextAreaField
          label="メモ（職員用）"
          name="note"
          defaultValue={values.note ?? ""}
          error={errors.note}
          rows={3}
        />
        <fieldset>
          <legend className="font-bold">対応する災害</legend>
          <div className="mt-2 grid grid-cols-2 gap-2">
            {HAZARDS.map((h) => (
              <CheckboxField
                key={h}
                label={HAZARD_LABELS[h]}
                name={`hazard_${h}`}
                defaultChecked={values[`hazard_${h}`] === "on"}
              />
            ))}
          </div>
        </fieldset>
        <CheckboxField
          label="指定避難所（滞在できる）"
          name="designatedShelter"
          defaultChecked={values.designatedShelter === "on"}
        />
        <CheckboxField label="福祉避難所" name="welfare" defaultChecked={values.welfare === "on"} />
        <Button type="submit" disabled={busy}>
          保存する
        </Button>
      </Form>
      <p className="mt-8">
        <Link to={`/c/${params.city}/admin/shelters`}>避難所の一覧に戻る</Link>
      </p>
    </>
  );
}
