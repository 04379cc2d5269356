import type { ComponentProps } from "react";
import { controlClassName, Field, splitField, type FieldContract } from "./field-parts";
import { ChevronDownIcon } from "./icons";
import { cx } from "./cx";

export type SelectOption = { value: string | number; label: string; disabled?: boolean };

export type SelectFieldProps = Omit<
  ComponentProps<"select">,
  "name" | "children" | "aria-invalid" | "aria-describedby"
> &
  FieldContract & {
    options: readonly SelectOption[];
    /** An empty first choice ("選択してください") submitted as "", so that nothing is chosen by accident. */
    placeholder?: string;
  };

/** A labelled <select> with the same contract as TextField. */
export function SelectField(props: SelectFieldProps) {
  const [field, { options, placeholder, ...select }] = splitField(props);
  return (
    <Field {...field}>
      {(control) => (
        <div className="relative">
          <select
            {...select}
            {...control}
            // appearance-none for the same large arrow on every phone; pr-12 keeps text clear of it.
            className={cx(controlClassName, "appearance-none pr-12")}
          >
            {placeholder !== undefined && <option value="">{placeholder}</option>}
            {options.map((option) => (
              <option key={option.value} value={option.value} disabled={option.disabled}>
                {option.label}
              </option>
            ))}
          </select>
          <ChevronDownIcon className="pointer-events-none absolute right-3 top-1/2 size-7 -translate-y-1/2 fill-current text-solid-gray-800" />
        </div>
      )}
    </Field>
  );
}
