import { useId, type ReactNode } from "react";
import { cx } from "./cx";
import { ErrorIcon } from "./icons";
import { useT } from "~/lib/i18n/react";

/**
 * What TextField, SelectField and TextAreaField share: ids that tie the label, hint and error to the
 * control, and the markup around it (Field). Kept in one place so every form field in the product is
 * announced the same way by screen readers (label, then 必須, then hint and error via
 * aria-describedby). Each field is only its control, rendered inside Field.
 */
export function useFieldIds(id: string | undefined, { hint, error }: { hint?: ReactNode; error?: ReactNode }) {
  const generated = useId();
  const controlId = id ?? `field-${generated}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  // The error first: it is the more urgent of the two when a screen reader reads both.
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return { controlId, hintId, errorId, describedBy };
}

// DADS input look: a dark grey border (3:1 against white, as WCAG 1.4.11 asks of a control's
// boundary), red and thicker when invalid so the state does not rest on colour alone.
export const controlClassName = cx(
  "block w-full min-h-14 rounded-8 border border-solid-gray-600 bg-white px-4 py-3 text-solid-gray-900",
  "hover:border-black",
  "aria-[invalid=true]:border-2 aria-[invalid=true]:border-error-1 aria-[invalid=true]:hover:border-red-1000",
  "disabled:border-solid-gray-300 disabled:bg-solid-gray-50 disabled:text-solid-gray-420",
);

type FieldShellProps = {
  controlId: string;
  label: ReactNode;
  required?: boolean;
  hint?: ReactNode;
  hintId?: string;
  error?: ReactNode;
  errorId?: string;
  className?: string;
  children: ReactNode;
};

export function FieldShell({
  controlId,
  label,
  required,
  hint,
  hintId,
  error,
  errorId,
  className,
  children,
}: FieldShellProps) {
  return (
    <div className={cx("flex flex-col gap-2", className)}>
      <label htmlFor={controlId} className="flex flex-wrap items-center gap-x-2 font-bold text-solid-gray-900">
        <span>{label}</span>
        {required && <RequiredMark />}
      </label>
      {hint && (
        <p id={hintId} className="text-[0.9375em] text-solid-gray-700">
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p id={errorId} className="flex items-start gap-1 font-bold text-error-2">
          <ErrorIcon className="mt-[0.2em] inline-block size-[1.25em] shrink-0 fill-current" />
          <span>{error}</span>
        </p>
      )}
    </div>
  );
}

function RequiredMark() {
  // 必須 on staff pages; the resident's language on resident pages.
  const { t } = useT();
  return (
    <span className="rounded-4 border border-error-2 px-1.5 text-[0.8125em] font-bold leading-[1.6] text-error-2">
      {t("form.required")}
    </span>
  );
}

/** The contract every labelled field shares; the rest of a field's props go to its control. */
export type FieldContract = {
  label: ReactNode;
  name: string;
  /** The server's validation message (resident pages: in the page's language), shown under the field. */
  error?: ReactNode;
  /** A short example or rule ("例：090-1234-5678"), shown between the label and the field. */
  hint?: ReactNode;
  required?: boolean;
  id?: string;
  /** Classes for the wrapper, e.g. a max-width for a short field. */
  className?: string;
};

/** What Field hands its control: the ids, name and states that tie it to the label, hint and error. */
export type ControlProps = {
  id: string;
  name: string;
  required?: boolean;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
};

/** Splits a field's props into the shared contract and the control's own. */
export function splitField<P extends FieldContract>(props: P): [FieldContract, Omit<P, keyof FieldContract>] {
  const { label, name, error, hint, required, id, className, ...control } = props;
  return [{ label, name, error, hint, required, id, className }, control];
}

/** A labelled field: the label, 必須, hint and error around the control `children` renders. */
export function Field({
  label,
  name,
  error,
  hint,
  required,
  id,
  className,
  children,
}: FieldContract & { children: (control: ControlProps) => ReactNode }) {
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
      {children({
        id: controlId,
        name,
        required,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
      })}
    </FieldShell>
  );
}
