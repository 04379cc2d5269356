import { TextField } from "~/components/ui/text-field";

/** What is stored of a city's Messaging API channel: the id, and only the masked secrets. */
export type StoredChannel = { channelId: string; secretMasked: string; tokenMasked: string } | null;

/**
 * The Messaging API channel's three credentials, asked the same way wherever they are entered: the
 * city admin's LINE settings page and the vendor's onboarding wizard. With a channel stored, the
 * secrets are optional (empty keeps the stored value) and only their masked tails are shown; a
 * secret is never sent back into the form, even after a refusal.
 */
export function ChannelCredentialFields({
  stored,
  values,
  errors,
}: {
  stored: StoredChannel;
  /** What was typed before a refusal (the channel id only). */
  values?: Partial<Record<string, string>>;
  errors?: Partial<Record<string, string>>;
}) {
  return (
    <>
      <TextField
        label="チャネルID（Messaging API）"
        name="channelId"
        required
        inputMode="numeric"
        hint="「チャネル基本設定」のチャネルID（数字）"
        defaultValue={values?.channelId ?? stored?.channelId ?? ""}
        error={errors?.channelId}
      />
      {SECRETS.map((secret) => (
        <TextField
          key={secret.name}
          label={secret.label}
          name={secret.name}
          type="password"
          autoComplete="new-password"
          required={!stored}
          hint={stored ? `保存済み（${stored[secret.masked]}）。変更するときだけ入力してください。` : secret.hint}
          error={errors?.[secret.name]}
        />
      ))}
    </>
  );
}

const SECRETS = [
  {
    name: "channelSecret",
    label: "チャネルシークレット",
    masked: "secretMasked",
    hint: "「チャネル基本設定」のチャネルシークレット",
  },
  {
    name: "channelAccessToken",
    label: "チャネルアクセストークン（長期）",
    masked: "tokenMasked",
    hint: "「Messaging API設定」で発行したチャネルアクセストークン（長期）",
  },
] as const;
