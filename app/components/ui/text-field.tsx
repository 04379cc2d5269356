import type { ComponentProps } from "react";
import { controlClassName, Field, splitField, type FieldContract } from "./field-parts";

export type TextFieldProps = Omit<ComponentProps<"input">, "name" | "children" | "aria-invalid" | "aria-describedby"> &
  FieldContract;

/**
 * A labelled <input>. Prefer `hint` to `placeholder`: placeholder text vanishes on the first
 * keystroke and is too faint for many older residents.
 */
export function TextField(props: TextFieldProps) {
  const [field, { type = "text", ...input }] = splitField(props);
  return (
    <Field {...field}>{(control) => <input {...input} {...control} type={type} className={controlClassName} />}</Field>
  );
}
