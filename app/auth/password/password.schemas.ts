import { z } from "zod";
import { emailSchema, newPasswordSchema, PASSWORD_MISMATCH, passwordsMatch } from "~/features/staff/staff.schemas";

// The invitation's rules (newPasswordSchema, typed twice) for every new password: one place to change them.
const newPasswordTwice = { password: newPasswordSchema, passwordConfirm: z.string().optional() };

export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "現在のパスワードを入力してください。" })
      .min(1, "現在のパスワードを入力してください。")
      .max(200, "パスワードが長すぎます。"),
    ...newPasswordTwice,
  })
  .refine(passwordsMatch, PASSWORD_MISMATCH);

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z.object(newPasswordTwice).refine(passwordsMatch, PASSWORD_MISMATCH);
