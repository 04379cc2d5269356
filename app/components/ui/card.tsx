import type { ReactNode } from "react";
import { cx } from "./cx";

export type CardProps = {
  title?: ReactNode;
  /** Level of the title's heading; pick the one that fits the page outline (default h2). */
  headingLevel?: 2 | 3 | 4;
  children: ReactNode;
  className?: string;
};

/**
 * A bordered box. With a title it is a <section> led by a heading, but deliberately without an
 * accessible name: a named section becomes a landmark, and a dashboard of ten cards would bury
 * the page's real landmarks. Screen-reader users jump between cards by heading instead.
 */
export function Card({ title, headingLevel = 2, children, className }: CardProps) {
  const boxClassName = cx("rounded-12 border border-solid-gray-200 bg-white p-5 sm:p-6", className);
  if (!title) return <div className={boxClassName}>{children}</div>;
  const Heading = `h${headingLevel}` as const;
  return (
    <section className={boxClassName}>
      <Heading className="mb-4 text-[1.25em] leading-[1.5]">{title}</Heading>
      {children}
    </section>
  );
}
