import type { ComponentProps } from "react";
import { controlClassName, Field, splitField, useFieldIds, type FieldContract } from "~/components/ui/field-parts";
import { cx } from "~/components/ui/cx";

type TextAreaFieldProps = Omit<ComponentProps<"textarea">, "name" | "children" | "aria-invalid" | "aria-describedby"> &
  FieldContract;

/** A labelled <textarea> with the same label / hint / error contract as TextField. */
export function TextAreaField(props: TextAreaFieldProps) {
  const [field, { rows = 3, ...textarea }] = splitField(props);
  return (
    <Field {...field}>
      {(control) => <textarea {...textarea} {...control} rows={rows} className={cx(controlClassName, "min-h-24")} />}
    </Field>
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
