import type { ReactNode } from "react";
import { cx } from "./cx";

export type PageHeaderProps = {
  title: ReactNode;
  description?: ReactNode;
  /** Buttons or links for the page's main actions, placed to the right on wide screens. */
  actions?: ReactNode;
  className?: string;
};

/** The page's one <h1>, with an optional lead paragraph. */
export function PageHeader({ title, description, actions, className }: PageHeaderProps) {
  return (
    <div className={cx("mb-6 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between", className)}>
      <div className="flex flex-col gap-2">
        <h1 className="text-[1.75em] leading-[1.4] tracking-[0.01em]">{title}</h1>
        {description && <div className="text-solid-gray-800">{description}</div>}
      </div>
      {actions && <div className="flex flex-wrap gap-3">{actions}</div>}
    </div>
  );
}
