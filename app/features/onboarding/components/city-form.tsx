import { Form } from "react-router";
import { CityContactFields } from "~/components/city-contact-fields";
import { Button } from "~/components/ui/button";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { PREFECTURES } from "~/features/tenants/tenants.schemas";

/** Step 1's fields, for the new draft and for editing it on resume. */
export function CityForm({
  values,
  errors,
  busy,
  submitLabel,
}: {
  values: Record<string, string | undefined>;
  errors: Record<string, string | undefined>;
  busy: boolean;
  submitLabel: string;
}) {
  return (
    <Form method="post" className="max-w-xl space-y-6" noValidate>
      <input type="hidden" name="intent" value="save" />
      <TextField
        label="自治体名"
        name="name"
        required
        hint="例: 紀の川市"
        defaultValue={values.name}
        error={errors.name}
      />
      <TextField
        label="URL用の名前"
        name="slug"
        required
        hint="半角英小文字・数字・ハイフン（例: kinokawa）。住民向けページは /c/この名前 になります。"
        defaultValue={values.slug}
        error={errors.slug}
      />
      <SelectField
        label="都道府県"
        name="prefecture"
        required
        placeholder="選択してください"
        options={PREFECTURES.map((p) => ({ value: p, label: p }))}
        defaultValue={values.prefecture ?? ""}
        error={errors.prefecture}
      />
      <TextField
        label="人口"
        name="population"
        inputMode="numeric"
        hint="半角数字（任意）。プランの目安になります。"
        defaultValue={values.population}
        error={errors.population}
      />
      <label className="block">
        <span className="block font-bold">地区（任意）</span>
        <span className="block text-sm" id="areas-hint">
          1行に1地区、または読点（、）区切りで入力します。LINE友だちの「地域」の選択肢になります。
        </span>
        <textarea
          name="areas"
          rows={4}
          aria-describedby="areas-hint"
          className="mt-1 w-full rounded border p-2"
          defaultValue={values.areas}
        />
        {errors.areas ? <span className="block text-red-700">{errors.areas}</span> : null}
      </label>
      <fieldset>
        <legend className="text-lg font-bold">問い合わせ窓口</legend>
        <p className="mb-4">
          住民向けページ・メール・LINEで「お電話で」と案内するときの番号です。あとから自治体の管理画面でも変更できます。
        </p>
        <CityContactFields values={values} errors={errors} />
      </fieldset>
      <Button type="submit" disabled={busy}>
        {submitLabel}
      </Button>
    </Form>
  );
}
