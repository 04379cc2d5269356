import { ErrorIcon } from "~/components/ui/icons";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { ERA_CHOICES } from "~/lib/birth-year";
import { useT } from "~/lib/i18n/react";

const numbers = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

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
 * Plain radios and a text box, so it all works without JavaScript. Labels in the page's language;
 * messages from the schemas (Japanese, ADR 043) are shown in it too.
 */
export function IdentityFields({ values = {}, errors = {}, ticketHint }: IdentityFieldsProps) {
  const { t, tp, tm } = useT();
  const era = values.birthEra ?? "";
  const err = (field: string) => (errors[field] ? tm(errors[field]) : undefined);
  return (
    <>
      <TextField
        label={t("booking:ticket.label")}
        name="ticketNumber"
        inputMode="numeric"
        autoComplete="off"
        required
        className="max-w-sm"
        hint={ticketHint ?? t("booking:ticket.hint")}
        defaultValue={values.ticketNumber}
        error={err("ticketNumber")}
      />
      <fieldset className="flex flex-col gap-4" aria-describedby={errors.birthDate ? "birth-date-error" : undefined}>
        <legend className="mb-2 font-bold text-solid-gray-900">{t("booking:birth.legend")}</legend>
        <fieldset>
          <legend className="mb-2 font-bold text-solid-gray-900">{t("booking:birth.era")}</legend>
          <div className="flex flex-wrap gap-2">
            {ERA_CHOICES.map((c) => (
              <label
                key={c.value}
                className="flex min-h-tap min-w-[5.5rem] cursor-pointer items-center gap-2 rounded-8 border-2 border-solid-gray-600 bg-white px-3 font-bold has-[:checked]:border-blue-900 has-[:checked]:bg-blue-50"
              >
                <input type="radio" name="birthEra" value={c.value} defaultChecked={era === c.value} />
                {t(`booking:birth.eras.${c.value}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <TextField
          label={t("booking:birth.year")}
          name="birthYear"
          required
          autoComplete="off"
          className="max-w-xs"
          hint={t("booking:birth.yearHint")}
          defaultValue={values.birthYear}
          error={err("birthYear")}
        />
        <div className="grid max-w-md grid-cols-2 gap-4">
          <SelectField
            label={t("booking:birth.month")}
            name="birthMonth"
            required
            placeholder={tp("booking:birth.select")}
            options={numbers(12).map((n) => ({ value: n, label: tp("booking:birth.monthOption", { n }) }))}
            defaultValue={values.birthMonth ?? ""}
            error={err("birthMonth")}
          />
          <SelectField
            label={t("booking:birth.day")}
            name="birthDay"
            required
            placeholder={tp("booking:birth.select")}
            options={numbers(31).map((n) => ({ value: n, label: tp("booking:birth.dayOption", { n }) }))}
            defaultValue={values.birthDay ?? ""}
            error={err("birthDay")}
          />
        </div>
        {errors.birthDate ? (
          <p id="birth-date-error" className="flex items-start gap-1 font-bold text-error-2">
            <ErrorIcon className="mt-[0.2em] inline-block size-[1.25em] shrink-0 fill-current" />
            <span>{tm(errors.birthDate)}</span>
          </p>
        ) : null}
      </fieldset>
    </>
  );
}
