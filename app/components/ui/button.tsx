import type { ComponentProps } from "react";
import { Link } from "react-router";
import { cx } from "./cx";

export type ButtonVariant = "primary" | "secondary" | "danger";
/** md: 48px high, the default. lg: 56px, for the one main action of a resident page. */
export type ButtonSize = "md" | "lg";

type ButtonStyleProps = { variant?: ButtonVariant; size?: ButtonSize; fullWidth?: boolean };

// DADS button styles. Hover and active also underline, so the state change does not rely on
// colour alone. The transparent double border becomes visible in Windows High Contrast, where
// background colours are dropped and a filled button would otherwise lose its outline.
const variantClasses: Record<ButtonVariant, string> = {
  primary:
    "border-4 border-double border-transparent bg-blue-900 text-white hover:bg-blue-1000 hover:underline active:bg-blue-1200 active:underline",
  secondary:
    "border border-current bg-white text-blue-900 hover:bg-blue-200 hover:text-blue-1000 hover:underline active:bg-blue-300 active:text-blue-1200 active:underline",
  danger:
    "border-4 border-double border-transparent bg-error-2 text-white hover:bg-red-1000 hover:underline active:bg-red-1100 active:underline",
};

const sizeClasses: Record<ButtonSize, string> = {
  md: "min-h-12 min-w-24 px-5 py-2",
  lg: "min-h-14 min-w-34 px-6 py-3 text-[1.125em]",
};

/** The button look as a class string, for the rare element that is neither <button> nor a link. */
export function buttonClassName({
  variant = "primary",
  size = "md",
  fullWidth = false,
}: ButtonStyleProps = {}): string {
  return cx(
    "inline-flex items-center justify-center gap-2 rounded-8 text-center font-bold leading-[1.3] no-underline underline-offset-[0.1875rem]",
    "disabled:pointer-events-none disabled:border-solid-gray-300 disabled:bg-solid-gray-300 disabled:text-solid-gray-50",
    "aria-disabled:pointer-events-none aria-disabled:border-solid-gray-300 aria-disabled:bg-solid-gray-300 aria-disabled:text-solid-gray-50",
    "forced-colors:disabled:text-[GrayText]",
    variantClasses[variant],
    sizeClasses[size],
    fullWidth && "w-full",
  );
}

export type ButtonProps = ComponentProps<"button"> & ButtonStyleProps;

/**
 * A <button>, at least 48×96px. The type is left to HTML's default (submit) because nearly every
 * button here submits a React Router <Form>; pass type="button" for the others. fullWidth suits
 * the main action at the end of a resident form on a phone.
 */
export function Button({ variant, size, fullWidth, className, ...rest }: ButtonProps) {
  return <button className={cx(buttonClassName({ variant, size, fullWidth }), className)} {...rest} />;
}

export type ButtonLinkProps = ComponentProps<typeof Link> & ButtonStyleProps;

/** A link that looks like a button, for navigation ("予約へ進む"): it must stay a link for
 *  screen readers and for opening in a new tab. */
export function ButtonLink({ variant, size, fullWidth, className, ...rest }: ButtonLinkProps) {
  return <Link className={cx(buttonClassName({ variant, size, fullWidth }), className)} {...rest} />;
}
