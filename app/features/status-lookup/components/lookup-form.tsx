import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { TextAreaField } from "~/components/ui/fields";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";

const EXAMPLE_STATUSES = [
  "受付済み=申請書を受け付けました。審査をお待ちください。",
  "審査中=申請の内容を審査しています。",
  "振込予定=振込予定日は{{date}}です。",
  "不備あり=書類に不備があります。届いた通知をご確認ください。",
].join("\n");

/** The lookup form (作成・編集). Statuses one per line: 状況名=住民に見せる文. */
export function LookupForm({
  values = {},
  errors = {},
  busy,
  submitLabel = "作成する",
}: {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  busy: boolean;
  submitLabel?: string;
}) {
  return (
    <Form method="post" className="max-w-3xl space-y-6" noValidate>
      {Object.keys(errors).length ? (
        <Notice variant="error">入力内容を確認してください。赤字の項目に問題があります。</Notice>
      ) : null}
      <TextField
        label="名称"
        name="title"
        required
        hint="例: 物価高騰対策給付金 申請状況"
        defaultValue={values.title}
        error={errors.title}
      />
      <TextField
        label="番号の名前"
        name="keyLabel"
        required
        hint="例: 申請番号"
        defaultValue={values.keyLabel ?? "申請番号"}
        error={errors.keyLabel}
      />
      <fieldset className="space-y-3">
        <legend className="font-bold">番号の形式</legend>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="keyFormat"
            value="digits"
            defaultChecked={(values.keyFormat ?? "digits") === "digits"}
          />
          数字のみ（桁数を指定）
        </label>
        <TextField
          label="桁数"
          name="keyDigits"
          inputMode="numeric"
          className="max-w-40"
          defaultValue={values.keyDigits ?? "8"}
          error={errors.keyDigits}
        />
        <label className="flex items-center gap-2">
          <input type="radio" name="keyFormat" value="regex" defaultChecked={values.keyFormat === "regex"} />
          正規表現で指定（英字を含む番号など）
        </label>
        <TextField
          label="正規表現"
          name="keyRegex"
          hint="例: K[0-9]{6}（全角・ハイフン・空白は取り除いてから照合します）"
          defaultValue={values.keyRegex}
          error={errors.keyRegex}
        />
      </fieldset>
      <TextAreaField
        label="状況（1行に1つ「状況名=住民に見せる文」）"
        name="statuses"
        required
        hint="{{date}} と書くと、CSVの「日付」列の日付に置き換わります。CSVの「状況」列には状況名を書きます。"
        defaultValue={values.statuses ?? EXAMPLE_STATUSES}
        error={errors.statuses}
      />
      <TextAreaField label="注意書き（任意）" name="note" defaultValue={values.note} error={errors.note} />
      <TextField
        label="受付開始日"
        name="opensOn"
        type="date"
        required
        defaultValue={values.opensOn}
        error={errors.opensOn}
      />
      <TextField
        label="受付終了日"
        name="closesOn"
        type="date"
        required
        defaultValue={values.closesOn}
        error={errors.closesOn}
      />
      <TextField
        label="問い合わせ先（任意）"
        name="contact"
        hint="例: 福祉課 給付金担当 0736-00-0000（平日9時〜17時）"
        defaultValue={values.contact}
        error={errors.contact}
      />
      <TextField
        label="終了後の保存日数"
        name="purgeAfterDays"
        inputMode="numeric"
        required
        hint="受付終了日からこの日数が過ぎると、取り込んだ行（番号のハッシュ・生年月日・状況）を削除します。"
        defaultValue={values.purgeAfterDays ?? "90"}
        error={errors.purgeAfterDays}
        className="max-w-40"
      />
      <Button type="submit" disabled={busy}>
        {submitLabel}
      </Button>
    </Form>
  );
}
