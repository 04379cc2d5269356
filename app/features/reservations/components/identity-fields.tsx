import { ErrorIcon } from "~/components/ui/icons";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import type { YearOption } from "~/lib/japan-time";

const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }));
const DAYS = Array.from({ length: 31 }, (_, i) => ({ value: i + 1, label: `${i + 1}日` }));

export type IdentityFieldsProps = {
  years: YearOption[];
  values?: Record<string, string>;
  errors?: Record<string, string>;
  /** Staff pages explain the same field differently from resident pages. */
  ticketHint?: string;
};

/**
 * 接種券番号 and 生年月日, as on the paper ticket. Birth date is three selects (year with its era, as
 * residents know it from paper forms), never a free date field: no format to guess, no calendar
 * widget to fight on an old phone.
 */
export function IdentityFields({ years, values = {}, errors = {}, ticketHint }: IdentityFieldsProps) {
  return (
    <>
      <TextField
        label="接種券番号（10桁）"
        name="ticketNumber"
        inputMode="numeric"
        autoComplete="off"
        required
        className="max-w-sm"
        hint={ticketHint ?? "お手元の接種券に印刷されている10桁の番号です。ハイフンや全角数字のままでもかまいません。"}
        defaultValue={values.ticketNumber}
        error={errors.ticketNumber}
      />
      <fieldset className="flex flex-col gap-3" aria-describedby={errors.birthDate ? "birth-date-error" : undefined}>
        <legend className="mb-2 font-bold text-solid-gray-900">生年月日</legend>
        <div className="grid gap-4 sm:grid-cols-[2fr_1fr_1fr]">
          <SelectField
            label="生まれた年"
            name="birthYear"
            required
            placeholder="選択してください"
            options={years}
            defaultValue={values.birthYear ?? ""}
            error={errors.birthYear}
          />
          <SelectField
            label="生まれた月"
            name="birthMonth"
            required
            placeholder="選択"
            options={MONTHS}
            defaultValue={values.birthMonth ?? ""}
            error={errors.birthMonth}
          />
          <SelectField
            label="生まれた日"
            name="birthDay"
            required
            placeholder="選択"
            options={DAYS}
            defaultValue={values.birthDay ?? ""}
            error={errors.birthDay}
          />
        </div>
        {errors.birthDate ? (
          <p id="birth-date-error" className="flex items-start gap-1 font-bold text-error-2">
            <ErrorIcon className="mt-[0.2em] inline-block size-[1.25em] shrink-0 fill-current" />
            <span>{errors.birthDate}</span>
          </p>
        ) : null}
      </fieldset>
    </>
  );
}
