import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { CheckboxField, TextAreaField } from "~/components/ui/fields";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";

type Props = {
  values: Record<string, string>;
  errors?: Record<string, string>;
  busy: boolean;
  submitLabel: string;
  /** The 未回答 question being promoted, kept through the post. */
  fromUnanswered?: string | null;
};

/** The FAQ entry form, shared by 追加, 編集 and 未回答からの登録. */
export function FaqForm({ values, errors = {}, busy, submitLabel, fromUnanswered }: Props) {
  return (
    <Form method="post" className="max-w-3xl space-y-6" noValidate>
      {errors._form ? <Notice variant="error">{errors._form}</Notice> : null}
      {Object.keys(errors).length && !errors._form ? (
        <Notice variant="error">入力内容を確認してください。赤字の項目に問題があります。</Notice>
      ) : null}
      {fromUnanswered ? <input type="hidden" name="from" value={fromUnanswered} /> : null}
      <TextField
        label="分野"
        name="category"
        required
        hint="例: マイナンバーカード、住民票、ごみ（LINEで分野から選ぶときのボタン名になります）"
        defaultValue={values.category}
        error={errors.category}
      />
      <TextField
        label="質問"
        name="question"
        required
        hint="住民が尋ねる言い方で。例: マイナンバーカードの受け取りに必要なものは？"
        defaultValue={values.question}
        error={errors.question}
      />
      <TextAreaField
        label="回答"
        name="answer"
        required
        hint="2,000文字まで。https:// で始まるURLはLINEとFAQページでリンクになります。"
        defaultValue={values.answer}
        error={errors.answer}
      />
      <TextAreaField
        label="言いかえ（任意）"
        name="variants"
        hint="同じ質問の別の言い方や略称を1行に1つ。例: マイナカード 受取"
        defaultValue={values.variants}
        error={errors.variants}
      />
      <CheckboxField
        label="公開する（LINEの自動応答とFAQページに使う）"
        name="published"
        defaultChecked={values.published === "on"}
      />
      <Button type="submit" disabled={busy}>
        {submitLabel}
      </Button>
    </Form>
  );
}
