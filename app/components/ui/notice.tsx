import type { ReactNode } from "react";
import { cx } from "./cx";
import { ErrorIcon, InfoIcon, SuccessIcon, WarningIcon } from "./icons";
import { useT } from "~/lib/i18n/react";

export type NoticeVariant = "info" | "success" | "warning" | "error";

// The screen-reader label of each kind is the catalogue's `notice.<variant>` (Japanese on staff pages).
const styles: Record<NoticeVariant, { box: string; icon: string; Icon: typeof InfoIcon }> = {
  info: { box: "border-blue-900 bg-blue-50", icon: "text-blue-900", Icon: InfoIcon },
  success: { box: "border-success-2 bg-green-50", icon: "text-success-2", Icon: SuccessIcon },
  warning: { box: "border-warning-orange-2 bg-orange-50", icon: "text-warning-orange-2", Icon: WarningIcon },
  error: { box: "border-error-2 bg-red-50", icon: "text-error-2", Icon: ErrorIcon },
};

export type NoticeProps = {
  variant?: NoticeVariant;
  /** Bold first line. Without it, screen readers still hear the kind of notice (お知らせ, エラー…). */
  title?: ReactNode;
  children?: ReactNode;
  /**
   * Default: "alert" for errors (read out at once, e.g. a failed form submission) and "status"
   * for the rest (read when the reader is idle). "none" for a notice that is simply part of the
   * page, such as a standing explanation, so it is not announced as a change.
   */
  role?: "alert" | "status" | "none";
  className?: string;
};

/** A coloured box for messages: DADS notification-banner look, with an icon and a thick left edge. */
export function Notice({ variant = "info", title, children, role, className }: NoticeProps) {
  const { box, icon, Icon } = styles[variant];
  const label = useT().tp(`notice.${variant}`);
  const ariaRole = role ?? (variant === "error" ? "alert" : "status");
  return (
    <div
      role={ariaRole === "none" ? undefined : ariaRole}
      className={cx("flex items-start gap-3 rounded-8 border-2 border-l-8 p-4 text-solid-gray-900", box, className)}
    >
      <Icon className={cx("mt-[0.2em] size-[1.5em] shrink-0 fill-current", icon)} />
      <div className="flex min-w-0 flex-col gap-1">
        {title ? <p className="font-bold">{title}</p> : <span className="sr-only">{label}</span>}
        {children && <div>{children}</div>}
      </div>
    </div>
  );
}
