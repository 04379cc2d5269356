import { Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.cities.new";
import { clientIp } from "~/auth/rate-limit.server";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { createTenantSchema, PREFECTURES } from "~/features/tenants/tenants.schemas";
import { createTenant } from "~/features/tenants/tenants.server";
import { formFailure, parseForm } from "~/lib/forms";
import { vendorContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "新しい自治体 | 窓口 ベンダーコンソール" }];

export async function action({ request, context }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  const form = await request.formData();
  const parsed = parseForm(createTenantSchema, form);
  if (!parsed.ok) return parsed;
  const result = await createTenant(getDb(), parsed.data, { vendorUserId: vendor.user.id, ip: clientIp(request) });
  if (!result.ok) return formFailure({ [result.field]: result.message }, Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])));
  return redirect(`/vendor/cities/${result.tenant.id}?created=1`);
}

export default function NewTenant({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const f = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <PageHeader title="新しい自治体を登録" description="登録後は「準備中」です。準備が整ったら利用開始にします。" />
      <Form method="post" className="mt-6 max-w-xl space-y-6" noValidate>
        <TextField label="自治体名" name="name" required hint="例: 紀の川市" defaultValue={f?.values.name} error={f?.errors.name} />
        <TextField label="URL用の名前" name="slug" required hint="半角英小文字・数字・ハイフン（例: kinokawa）。住民向けページは /c/この名前 になります。" defaultValue={f?.values.slug} error={f?.errors.slug} />
        <SelectField label="都道府県" name="prefecture" required options={[{ value: "", label: "選択してください" }, ...PREFECTURES.map((p) => ({ value: p, label: p }))]} defaultValue={f?.values.prefecture ?? ""} error={f?.errors.prefecture} />
        <TextField label="人口" name="population" inputMode="numeric" hint="半角数字（任意）" defaultValue={f?.values.population} error={f?.errors.population} />
        <label className="block">
          <span className="block font-bold">地区（任意）</span>
          <span className="block text-sm" id="areas-hint">1行に1地区、または読点（、）区切りで入力します。LINE友だちの「地域」の選択肢になります。</span>
          <textarea name="areas" rows={4} aria-describedby="areas-hint" className="mt-1 w-full rounded border p-2" defaultValue={f?.values.areas} />
          {f?.errors.areas ? <span className="block text-red-700">{f.errors.areas}</span> : null}
        </label>
        <Button type="submit" disabled={busy}>登録する</Button>
      </Form>
    </>
  );
}
