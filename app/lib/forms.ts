import type { z } from "zod";

/**
 * Form parsing shared by every action: returns typed data, or per-field Japanese messages plus the
 * values the user typed (never passwords) so the form can be re-rendered as it was.
 */
export type FieldErrors = Record<string, string>;
export type FormFailure = { ok: false; errors: FieldErrors; values: Record<string, string> };
export type FormSuccess<T> = { ok: true; data: T };

const NEVER_ECHO = /password|token|secret/i;

export function parseForm<S extends z.ZodType>(schema: S, form: FormData): FormSuccess<z.infer<S>> | FormFailure {
  const raw: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") raw[k] = v;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "_form");
    errors[key] ??= issue.message;
  }
  return { ok: false, errors, values: echoValues(raw) };
}

export function echoValues(raw: Record<string, string>) {
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !NEVER_ECHO.test(k)));
}

export function formFailure(errors: FieldErrors, values: Record<string, string> = {}): FormFailure {
  return { ok: false, errors, values: echoValues(values) };
}
