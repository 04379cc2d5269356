import { redirect } from "react-router";
import { getDb } from "#db/client.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { formFailure, parseForm, type FormFailure } from "~/lib/forms";
import { clearSessionCookie } from "../cookies.server";
import { changePassword } from "./change.server";
import type { Subject } from "./accounts.server";
import { forgotPasswordSchema, changePasswordSchema, resetPasswordSchema } from "./password.schemas";
import { completePasswordReset, requestPasswordReset, resetLinkUsable, type Where } from "./reset.server";
import { readForm } from "~/lib/form-body.server";

/**
 * Loader/action halves of the password pages, shared by city staff (/c/:city/admin/...) and vendor
 * staff (/vendor/...) so the two cannot drift apart; the routes only say which one they are.
 */
const key = () => masterKey(env().MADOGUCHI_MASTER_KEY);

export type PasswordChangeView = { ok: true; sessionsEnded: number } | FormFailure;

/** The account page's パスワードの変更 form (intent=password). */
export async function passwordChangeAction(
  request: Request,
  form: FormData,
  who: Subject & { sessionId: string },
  ip: string | null,
): Promise<{ passwordChange: PasswordChangeView }> {
  const parsed = parseForm(changePasswordSchema, form);
  if (!parsed.ok) return { passwordChange: parsed };
  const r = await changePassword(getDb(), {
    ...who,
    currentPassword: parsed.data.currentPassword,
    newPassword: parsed.data.password,
    ip,
  });
  return { passwordChange: r.ok ? r : formFailure({ [r.field]: r.message }) };
}

export type ForgotView = { ok: true; message: string } | { ok: false; message: string } | FormFailure;

export async function forgotAction(request: Request, where: Where, ip: string | null): Promise<ForgotView> {
  const parsed = parseForm(forgotPasswordSchema, await readForm(request));
  // A malformed address is the person's typo, not an answer about any account.
  if (!parsed.ok) return parsed;
  return requestPasswordReset(getDb(), key(), { ...where, email: parsed.data.email, ip });
}

export async function resetLoader(where: Where, token: string) {
  return { usable: await resetLinkUsable(getDb(), where, token) };
}

/** On success: to the login page with a notice, and any cookie of this kind cleared (its session is gone). */
export async function resetAction(request: Request, where: Where, token: string, loginPath: string, ip: string | null) {
  const parsed = parseForm(resetPasswordSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const r = await completePasswordReset(getDb(), where, {
    token,
    password: parsed.data.password,
    ip,
  });
  if (!r.ok) return formFailure({ _form: r.message });
  return redirect(`${loginPath}?reset=done`, { headers: { "Set-Cookie": clearSessionCookie(where.kind) } });
}
