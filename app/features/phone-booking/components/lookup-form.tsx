import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { ErrorIcon } from "~/components/ui/icons";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import type { YearOption } from "~/lib/dates";

const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }));
const DAYS = Array.from({ length: 31 }, (_, i) => ({ value: i + 1, label: `${i + 1}日` }));

type Props = { years: YearOption[]; values?: Record<string, string>; errors?: Record<string, string>; busy: boolean };

/**
 * Step 1 on the phone: the caller reads out the ticket number and says their birth date. Years
 * carry the era (callers often say "昭和35年"), so staff need not convert in their head.
 */
export function LookupForm({ years, values = {}, errors = {}, busy }: Props) {
  return (
    <Form method="post" className="space-y-6" noValidate>
      <input type="hidden" name="intent" value="lookup" />
      <TextField
        label="接種券番号（10桁）"
        name="ticketNumber"
        inputMode="numeric"
        autoComplete="off"
        required
        className="max-w-sm"
        hint="全角数字やハイフン入りのままでも検索できます。"
        defaultValue={values.ticketNumber}
        error={errors.ticketNumber}
      />
      <fieldset className="flex flex-col gap-3" aria-describedby={errors.birthDate ? "birth-date-error" : undefined}>
        <legend className="mb-2 font-bold text-solid-gray-900">生年月日</legend>
        <div className="grid max-w-2xl gap-4 sm:grid-cols-[2fr_1fr_1fr]">
          <SelectField label="年" name="birthYear" required placeholder="選択してください" options={years} defaultValue={values.birthYear ?? ""} error={errors.birthYear} />
          <SelectField label="月" name="birthMonth" required placeholder="選択" options={MONTHS} defaultValue={values.birthMonth ?? ""} error={errors.birthMonth} />
          <SelectField label="日" name="birthDay" required placeholder="選択" options={DAYS} defaultValue={values.birthDay ?? ""} error={errors.birthDay} />
        </div>
        {errors.birthDate ? (
          <p id="birth-date-error" className="flex items-start gap-1 font-bold text-error-2">
            <ErrorIcon className="mt-[0.2em] inline-block size-[1.25em] shrink-0 fill-current" />
            <span>{errors.birthDate}</span>
          </p>
        ) : null}
      </fieldset>
      <Button type="submit" disabled={busy}>
        検索する
      </Button>
    </Form>
  );
}
