import type { ComponentProps } from "react";
import { controlClassName, FieldShell, useFieldIds } from "~/components/ui/field-parts";
import { cx } from "~/components/ui/cx";

type TextAreaFieldProps = Omit<
  ComponentProps<"textarea">,
  "name" | "children" | "aria-invalid" | "aria-describedby"
> & {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  className?: string;
};

/** A labelled <textarea> with the same label / hint / error contract as TextField. */
export function TextAreaField({
  label,
  name,
  error,
  hint,
  required,
  id,
  className,
  rows = 3,
  ...rest
}: TextAreaFieldProps) {
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
      <textarea
        {...rest}
        id={controlId}
        name={name}
        rows={rows}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={cx(controlClassName, "min-h-24")}
      />
    </FieldShell>
  );
}

type CheckboxFieldProps = { label: string; name: string; defaultChecked?: boolean; hint?: string; value?: string };

/** A 24px checkbox with its label as the click target (large enough for a shaky hand). */
export function CheckboxField({ label, name, defaultChecked, hint, value = "on" }: CheckboxFieldProps) {
  const { controlId, hintId } = useFieldIds(undefined, { hint });
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={controlId} className="flex min-h-tap cursor-pointer items-center gap-3 font-bold">
        <input
          id={controlId}
          type="checkbox"
          name={name}
          value={value}
          defaultChecked={defaultChecked}
          aria-describedby={hintId}
          className="size-6 accent-blue-900"
        />
        <span>{label}</span>
      </label>
      {hint ? (
        <p id={hintId} className="pl-9 text-[0.9375em] text-solid-gray-700">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
