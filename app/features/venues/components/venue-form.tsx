import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import { CheckboxField, TextAreaField } from "~/components/ui/fields";

type Props = { values: Record<string, string>; errors?: Record<string, string>; busy: boolean; submitLabel: string };

/** The venue form, shared by "new" and "edit". */
export function VenueForm({ values, errors = {}, busy, submitLabel }: Props) {
  return (
    <Form method="post" className="max-w-3xl space-y-6" noValidate>
      {errors._form ? <Notice variant="error">{errors._form}</Notice> : null}
      {Object.keys(errors).length && !errors._form ? (
        <Notice variant="error">入力内容を確認してください。赤字の項目に問題があります。</Notice>
      ) : null}
      <TextField
        label="会場名"
        name="name"
        required
        hint="例: 市民会館 大ホール（CSV取り込みでもこの名前で指定します）"
        defaultValue={values.name}
        error={errors.name}
      />
      <TextField
        label="住所"
        name="address"
        required
        autoComplete="off"
        defaultValue={values.address}
        error={errors.address}
      />
      <div className="grid gap-6 sm:grid-cols-2">
        <TextField
          label="緯度（任意）"
          name="lat"
          inputMode="decimal"
          hint="地図に表示する場合。例: 34.2735"
          defaultValue={values.lat}
          error={errors.lat}
        />
        <TextField
          label="経度（任意）"
          name="lng"
          inputMode="decimal"
          hint="例: 135.4012"
          defaultValue={values.lng}
          error={errors.lng}
        />
      </div>
      <TextAreaField
        label="交通・アクセス"
        name="accessNotes"
        hint="例: JR○○駅から徒歩10分。駐車場50台。"
        defaultValue={values.accessNotes}
        error={errors.accessNotes}
      />
      <TextAreaField
        label="バリアフリー情報"
        name="barrierFreeNotes"
        hint="例: 車いす対応トイレ、スロープあり。"
        defaultValue={values.barrierFreeNotes}
        error={errors.barrierFreeNotes}
      />
      <CheckboxField
        label="利用中（住民の予約ページに表示する）"
        name="active"
        defaultChecked={values.active === "on"}
      />
      <Button type="submit" disabled={busy}>
        {submitLabel}
      </Button>
    </Form>
  );
}
