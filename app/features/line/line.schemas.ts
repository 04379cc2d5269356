import { z } from "zod";

/**
 * The LINE settings form. Ids are checked for their shape (they are copied by hand from the LINE
 * Developers console, so a stray space or a pasted label is likely); secret and token only for
 * being one word, since LINE does not document their exact format. Blank secret/token = keep.
 */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export const channelSettingsSchema = z.object({
  channelId: z
    .string({ error: "チャネルIDを入力してください。" })
    .trim()
    .min(1, "チャネルIDを入力してください。")
    .regex(/^\d{5,20}$/, "チャネルIDは数字で入力してください（「チャネル基本設定」に表示されています）。"),
  loginChannelId: optional(
    z
      .string()
      .trim()
      .regex(/^\d{5,20}$/, "LINEログインのチャネルIDは数字で入力してください。"),
  ),
  liffId: optional(
    z
      .string()
      .trim()
      .regex(/^\d{5,20}-[A-Za-z0-9]{4,32}$/, "LIFF IDの形式が正しくありません（例：2000000101-AbCdEfGh）。"),
  ),
  botUserId: optional(
    z
      .string()
      .trim()
      .regex(/^U[0-9A-Za-z]{4,64}$/, "ボットのユーザーIDは「U」で始まる英数字です。"),
  ),
  channelSecret: optional(
    z
      .string()
      .trim()
      .max(200, "チャネルシークレットが長すぎます。")
      .regex(/^\S+$/, "チャネルシークレットに空白は含められません。"),
  ),
  channelAccessToken: optional(
    z
      .string()
      .trim()
      .max(1000, "アクセストークンが長すぎます。")
      .regex(/^\S+$/, "アクセストークンに空白は含められません。"),
  ),
});

export type ChannelSettingsForm = z.infer<typeof channelSettingsSchema>;

/** The admin's main form: the login channel has its own form, checked live (loginChannelSchema). */
export const adminChannelSettingsSchema = channelSettingsSchema.omit({ loginChannelId: true });

/** The LINE Login channel (LIFF) form: blank secret = the stored one, for the same channel id only. */
export const loginChannelSchema = z.object({
  loginChannelId: z
    .string({ error: "LINEログインのチャネルIDを入力してください。" })
    .trim()
    .min(1, "LINEログインのチャネルIDを入力してください。")
    .regex(/^\d{5,20}$/, "LINEログインのチャネルIDは数字で入力してください。"),
  loginChannelSecret: optional(
    z
      .string()
      .trim()
      .max(200, "チャネルシークレットが長すぎます。")
      .regex(/^\S+$/, "チャネルシークレットに空白は含められません。"),
  ),
});
