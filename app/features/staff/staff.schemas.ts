import { z } from "zod";
import { PASSWORD_MIN } from "~/auth/password.constants";

export const ROLES = ["admin", "operator", "analyst"] as const;

export const emailSchema = z
  .string({ error: "メールアドレスを入力してください。" })
  .trim()
  .min(1, "メールアドレスを入力してください。")
  .transform((v) => v.normalize("NFKC").toLowerCase())
  .pipe(
    z
      .email("メールアドレスの形式が正しくありません（例: taro@city.example.jp）。")
      .max(254, "メールアドレスが長すぎます。"),
  );

export const newPasswordSchema = z
  .string({ error: "パスワードを入力してください。" })
  .min(PASSWORD_MIN, `パスワードは${PASSWORD_MIN}文字以上で入力してください。`)
  .max(200, "パスワードは200文字以内で入力してください。");

/** The "type it twice" rule of every new password (invitation, change, reset). */
export const passwordsMatch = (v: { password: string; passwordConfirm?: string }) => v.password === v.passwordConfirm;
export const PASSWORD_MISMATCH = { path: ["passwordConfirm"], message: "確認用のパスワードが一致しません。" };

export const loginSchema = z.object({
  email: emailSchema,
  password: z
    .string({ error: "パスワードを入力してください。" })
    .min(1, "パスワードを入力してください。")
    .max(200, "パスワードが長すぎます。"),
  next: z.string().optional(),
});

export const inviteSchema = z.object({
  email: emailSchema,
  role: z.enum(ROLES, { error: "権限を選択してください。" }),
});

export const acceptInvitationSchema = z
  .object({
    displayName: z
      .string({ error: "氏名を入力してください。" })
      .trim()
      .min(1, "氏名を入力してください。")
      .max(60, "氏名は60文字以内で入力してください。"),
    password: newPasswordSchema,
    passwordConfirm: z.string().optional(),
  })
  .refine(passwordsMatch, PASSWORD_MISMATCH);

/** Only same-site relative paths are followed after login (no open redirect). */
export function safeNext(next: string | undefined | null, fallback: string) {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return fallback;
  return next;
}
