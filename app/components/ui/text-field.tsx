import type { ComponentProps, ReactNode } from "react";
import { controlClassName, FieldShell, useFieldIds } from "./field-parts";

export type TextFieldProps = Omit<
  ComponentProps<"input">,
  "name" | "children" | "aria-invalid" | "aria-describedby"
> & {
  label: ReactNode;
  name: string;
  /** The server's validation message (resident pages: in the page's language), shown under the field. */
  error?: ReactNode;
  /** A short example or rule ("例：090-1234-5678"), shown between the label and the field. */
  hint?: ReactNode;
  /** Classes for the wrapper, e.g. a max-width for a short field. */
  className?: string;
};

/**
 * A labelled <input>. Prefer `hint` to `placeholder`: placeholder text vanishes on the first
 * keystroke and is too faint for many older residents.
 */
export function TextField({
  label,
  name,
  type = "text",
  error,
  hint,
  required,
  id,
  className,
  ...rest
}: TextFieldProps) {
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
      <input
        {...rest}
        id={controlId}
        name={name}
        type={type}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={controlClassName}
      />
    </FieldShell>
  );
}
