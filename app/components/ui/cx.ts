/** Joins class names, skipping the falsy ones a condition leaves behind (`pending && "opacity-60"`). */
export function cx(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}
