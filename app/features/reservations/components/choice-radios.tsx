import type { ReactNode } from "react";
import { ErrorIcon } from "~/components/ui/icons";
import { cx } from "~/components/ui/cx";

/**
 * A group of large radio buttons (≥ 44 px, the whole label clickable) as on the era choice: plain
 * radios, so it works without JavaScript.
 */
export function ChoiceRadios({
  legend,
  name,
  choices,
  defaultValue,
  hint,
  error,
  stacked = false,
}: {
  legend: ReactNode;
  name: string;
  choices: { value: string; label: ReactNode }[];
  defaultValue?: string;
  hint?: ReactNode;
  error?: ReactNode;
  /** One choice per line (long labels), instead of wrapping side by side. */
  stacked?: boolean;
}) {
  const hintId = `${name}-hint`;
  const errorId = `${name}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset aria-describedby={describedBy}>
      <legend className="mb-2 font-bold text-solid-gray-900">{legend}</legend>
      {hint ? (
        <p id={hintId} className="mb-2 text-solid-gray-800">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="mb-2 flex items-start gap-1 font-bold text-error-2">
          <ErrorIcon className="mt-[0.2em] inline-block size-[1.25em] shrink-0 fill-current" />
          <span>{error}</span>
        </p>
      ) : null}
      <div className={cx("flex gap-2", stacked ? "flex-col" : "flex-wrap")}>
        {choices.map((c) => (
          <label
            key={c.value}
            className="flex min-h-tap min-w-[5.5rem] cursor-pointer items-center gap-2 rounded-8 border-2 border-solid-gray-600 bg-white px-3 py-1 font-bold has-[:checked]:border-blue-900 has-[:checked]:bg-blue-50"
          >
            <input type="radio" name={name} value={c.value} defaultChecked={defaultValue === c.value} />
            <span>{c.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
