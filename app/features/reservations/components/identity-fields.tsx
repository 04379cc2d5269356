import { ErrorIcon } from "~/components/ui/icons";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { ERA_CHOICES } from "~/lib/birth-year";

const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }));
const DAYS = Array.from({ length: 31 }, (_, i) => ({ value: i + 1, label: `${i + 1}日` }));

export type IdentityFieldsProps = {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  /** Staff pages explain the same field differently from resident pages. */
  ticketHint?: string;
};

/**
 * 接種券番号 and 生年月日, as on the paper ticket. The year is an era button then the era year typed
 * with the number pad (ADR 033): two taps and two digits for 昭和25, where a year list starting at
 * this year took some 77 flicks to reach 1950. Typing "昭和25", "S25" or "1950" in the box works
 * too, whatever button is pressed. Month and day stay selects: short lists, no format to guess.
 * Plain radios and a text box, so it all works without JavaScript.
 */
export function IdentityFields({ values = {}, errors = {}, ticketHint }: IdentityFieldsProps) {
  const era = values.birthEra ?? "";
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
      <fieldset className="flex flex-col gap-4" aria-describedby={errors.birthDate ? "birth-date-error" : undefined}>
        <legend className="mb-2 font-bold text-solid-gray-900">生年月日</legend>
        <fieldset>
          <legend className="mb-2 font-bold text-solid-gray-900">元号</legend>
          <div className="flex flex-wrap gap-2">
            {ERA_CHOICES.map((c) => (
              <label
                key={c.value}
                className="flex min-h-tap min-w-[5.5rem] cursor-pointer items-center gap-2 rounded-8 border-2 border-solid-gray-600 bg-white px-3 font-bold has-[:checked]:border-blue-900 has-[:checked]:bg-blue-50"
              >
                <input type="radio" name="birthEra" value={c.value} defaultChecked={era === c.value} />
                {c.label}
              </label>
            ))}
          </div>
        </fieldset>
        <TextField
          label="生まれた年"
          name="birthYear"
          required
          autoComplete="off"
          className="max-w-xs"
          hint="元号を選んで年を数字で（例：昭和 → 25）。「昭和25」「S25」や西暦「1950」と入力してもかまいません。"
          defaultValue={values.birthYear}
          error={errors.birthYear}
        />
        <div className="grid max-w-md grid-cols-2 gap-4">
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
