import type { ReactNode } from "react";
import { CheckboxField } from "~/components/ui/fields";

/** The composer's small building blocks: a fieldset with its error, a radio, a row of checkboxes. */
export function Fieldset({
  legend,
  error,
  errorId,
  children,
  hint,
}: {
  legend: string;
  error?: string;
  errorId?: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={error ? errorId : undefined}>
      <legend className="font-bold">{legend}</legend>
      {hint ? <p className="text-[0.9375em] text-solid-gray-700">{hint}</p> : null}
      {children}
      {error ? (
        <p id={errorId} className="font-bold text-error-2">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function Radio({
  name,
  value,
  label,
  checked,
  onChange,
}: {
  name: string;
  value: string;
  label: string;
  checked: boolean;
  onChange?: (v: string) => void;
}) {
  return (
    <label className="flex min-h-tap cursor-pointer items-center gap-3 font-bold">
      <input
        type="radio"
        name={name}
        value={value}
        defaultChecked={checked}
        onChange={() => onChange?.(value)}
        className="size-6 accent-blue-900"
      />
      <span>{label}</span>
    </label>
  );
}

/** Radios of one name in a row: the choice is `value`, changes go to `onChange`. */
export function RadioRow({
  name,
  options,
  value,
  onChange,
}: {
  name: string;
  options: { value: string; label: string }[];
  value: string;
  onChange?: (v: string) => void;
}) {
  return (
    <div className="flex flex-wrap gap-x-6">
      {options.map((o) => (
        <Radio
          key={o.value}
          name={name}
          value={o.value}
          label={o.label}
          checked={value === o.value}
          onChange={onChange}
        />
      ))}
    </div>
  );
}

/** Checkboxes of one name in a row, ticked from the values the form was last sent with. */
export function CheckboxRow({
  name,
  options,
  checked,
}: {
  name: string;
  options: { value: string; label: string }[];
  checked: (value: string) => boolean;
}) {
  return (
    <div className="flex flex-wrap gap-x-6">
      {options.map((o) => (
        <CheckboxField key={o.value} label={o.label} name={name} value={o.value} defaultChecked={checked(o.value)} />
      ))}
    </div>
  );
}
