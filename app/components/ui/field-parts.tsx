import { useId, type ReactNode } from "react";
import { cx } from "./cx";
import { ErrorIcon } from "./icons";
import { useT } from "~/lib/i18n/react";

/**
 * What TextField and SelectField share: ids that tie the label, hint and error to the control,
 * and the markup around it. Kept in one place so every form field in the product is announced
 * the same way by screen readers (label, then 必須, then hint and error via aria-describedby).
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
