import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { REMINDER_KIND_OPTIONS, REMINDER_LIMITS, REMINDER_ROWS } from "~/features/services/reminder-fields";
import { PHASE_ROWS } from "~/features/services/services.schemas";
import { CheckboxField, TextAreaField } from "~/components/ui/fields";

type Props = {
  /** What the fields show: the stored service, or what staff typed when the save failed. */
  values: Record<string, string>;
  errors?: Record<string, string>;
  busy: boolean;
  submitLabel: string;
};

/** The service form, shared by "new" and "edit" so both validate and read the same way. */
export function ServiceForm({ values, errors = {}, busy, submitLabel }: Props) {
  return (
    <Form method="post" className="max-w-3xl space-y-6" noValidate>
      {errors._form ? <Notice variant="error">{errors._form}</Notice> : null}
      {Object.keys(errors).length && !errors._form ? (
        <Notice variant="error">入力内容を確認してください。赤字の項目に問題があります。</Notice>
      ) : null}
      <TextField
        label="サービス名"
        name="name"
        required
        hint="例: 新型コロナワクチン接種"
        defaultValue={values.name}
        error={errors.name}
      />
      <TextAreaField
        label="説明"
        name="description"
        hint="住民向けの予約ページに表示されます。"
        defaultValue={values.description}
        error={errors.description}
      />
      <div className="grid gap-6 sm:grid-cols-2">
        <TextField
          label="接種回数"
          name="doses"
          required
          inputMode="numeric"
          hint="1〜10回"
          defaultValue={values.doses}
          error={errors.doses}
        />
        <TextField
          label="接種間隔（日）"
          name="minIntervalDays"
          required
          inputMode="numeric"
          hint="前の回から次の回まで空ける日数。1回だけなら 0"
          defaultValue={values.minIntervalDays}
          error={errors.minIntervalDays}
        />
      </div>
      <TextField
        label="年齢の基準日"
        name="ageReferenceDate"
        type="date"
        required
        hint="対象年齢はこの日の年齢で判定します（例: 年度末の3月31日）。"
        className="max-w-xs"
        defaultValue={values.ageReferenceDate}
        error={errors.ageReferenceDate}
      />

      <fieldset className="space-y-4 rounded-8 border border-solid-gray-420 p-4">
        <legend className="px-1 font-bold">段階的な受付開始（任意）</legend>
        <p className="text-[0.9375em] text-solid-gray-700">
          年齢の高い方から順に受付を始める場合に入力します（例:
          65歳以上は5月1日9時から、0歳以上＝全員は6月1日9時から）。日時は日本時間です。すべて空欄なら、予約受付期間内はどなたでも予約できます。
        </p>
        {Array.from({ length: PHASE_ROWS }, (_, i) => (
          <div key={i} className="grid gap-4 sm:grid-cols-[10rem_1fr]" role="group" aria-label={`段階${i + 1}`}>
            <TextField
              label={`段階${i + 1}: 何歳以上`}
              name={`phaseMinAge${i}`}
              inputMode="numeric"
              defaultValue={values[`phaseMinAge${i}`]}
              error={errors[`phaseMinAge${i}`]}
            />
            <TextField
              label={`段階${i + 1}: 受付開始日時`}
              name={`phaseOpensAt${i}`}
              type="datetime-local"
              defaultValue={values[`phaseOpensAt${i}`]}
              error={errors[`phaseOpensAt${i}`]}
            />
          </div>
        ))}
      </fieldset>

      <div className="grid gap-6 sm:grid-cols-2">
        <TextField
          label="予約受付期間（日）"
          name="bookingWindowDays"
          required
          inputMode="numeric"
          hint="何日先の枠まで予約できるか（1〜365日）"
          defaultValue={values.bookingWindowDays}
          error={errors.bookingWindowDays}
        />
        <TextField
          label="変更・キャンセルの締切（時間前）"
          name="changeCutoffHours"
          required
          inputMode="numeric"
          hint="例: 24 なら前日の同じ時刻まで。以降は電話窓口で受け付けます。"
          defaultValue={values.changeCutoffHours}
          error={errors.changeCutoffHours}
        />
      </div>
      <TextAreaField
        label="持ち物"
        name="whatToBring"
        hint="予約確認の画面とメールに表示されます。"
        defaultValue={values.whatToBring}
        error={errors.whatToBring}
      />
      <fieldset className="space-y-4 rounded-8 border border-solid-gray-420 p-4">
        <legend className="px-1 font-bold">リマインダー（予約日時のお知らせ）</legend>
        <p className="text-[0.9375em] text-solid-gray-700">
          予約日時が近づいたら、LINEで連携している方にはLINEで、メールアドレスのある方にはメールでお知らせします。どちらもない方（電話予約など）は「リマインダー電話リスト」に載ります。時刻は日本時間です。すべて「使わない」にすると送りません。
        </p>
        {Array.from({ length: REMINDER_ROWS }, (_, i) => (
          <div
            key={i}
            className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4"
            role="group"
            aria-label={`リマインダー${i + 1}`}
          >
            <SelectField
              label={`リマインダー${i + 1}: 種類`}
              name={`reminderKind${i}`}
              options={REMINDER_KIND_OPTIONS}
              defaultValue={values[`reminderKind${i}`] ?? ""}
              error={errors[`reminderKind${i}`]}
            />
            <TextField
              label={`リマインダー${i + 1}: 何日前`}
              name={`reminderDays${i}`}
              inputMode="numeric"
              hint={`${REMINDER_LIMITS.days[0]}〜${REMINDER_LIMITS.days[1]}（前日は1）`}
              defaultValue={values[`reminderDays${i}`]}
              error={errors[`reminderDays${i}`]}
            />
            <TextField
              label={`リマインダー${i + 1}: 送る時刻`}
              name={`reminderAt${i}`}
              type="time"
              hint="例: 10:00"
              defaultValue={values[`reminderAt${i}`]}
              error={errors[`reminderAt${i}`]}
            />
            <TextField
              label={`リマインダー${i + 1}: 何時間前`}
              name={`reminderHours${i}`}
              inputMode="numeric"
              hint={`${REMINDER_LIMITS.hours[0]}〜${REMINDER_LIMITS.hours[1]}`}
              defaultValue={values[`reminderHours${i}`]}
              error={errors[`reminderHours${i}`]}
            />
          </div>
        ))}
      </fieldset>
      <CheckboxField
        label="受付中（住民の予約ページに表示する）"
        name="active"
        defaultChecked={values.active === "on"}
      />
      <Button type="submit" disabled={busy}>
        {submitLabel}
      </Button>
    </Form>
  );
}
