import type { ComponentProps, ReactNode } from "react";
import { controlClassName, FieldShell, useFieldIds } from "./field-parts";
import { ChevronDownIcon } from "./icons";
import { cx } from "./cx";

export type SelectOption = { value: string | number; label: string; disabled?: boolean };

export type SelectFieldProps = Omit<
  ComponentProps<"select">,
  "name" | "children" | "aria-invalid" | "aria-describedby"
> & {
  label: ReactNode;
  name: string;
  options: readonly SelectOption[];
  /** An empty first choice ("選択してください") submitted as "", so that nothing is chosen by accident. */
  placeholder?: string;
  error?: ReactNode;
  hint?: ReactNode;
  className?: string;
};

/** A labelled <select> with the same contract as TextField. */
export function SelectField({
  label,
  name,
  options,
  placeholder,
  error,
  hint,
  required,
  id,
  className,
  ...rest
}: SelectFieldProps) {
  const { controlId, hintId, errorId, describedBy } = useFieldIds(id, { hint, error });
  return (
    <FieldShell
      controlId={controlId}
      label={label}
      required={required}
      hint={hint}
      hintId={hintId}
      error={error}
      errorId={errorId}
      className={className}
    >
      <div className="relative">
        <select
          {...rest}
          id={controlId}
          name={name}
          required={required}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
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
    </FieldShell>
  );
}
