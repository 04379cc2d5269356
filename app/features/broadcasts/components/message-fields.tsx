import { TextAreaField } from "~/components/ui/fields";
import { TextField } from "~/components/ui/text-field";
import { BUTTON_LABEL_MAX, CARD_BODY_MAX, CARD_TITLE_MAX, TEXT_MAX, type ComposeErrors } from "../compose";
import { rubyToParentheses } from "~/lib/i18n/ruby";
import { versionField } from "../versions";
import type { PreviewContent } from "./message-preview";

/**
 * The texts of a message in one language — the text message, or the card's title, body and button
 * label — for the Japanese message and for each version (ADR 046) alike; the parts every language
 * shares (the images, the button's link) are given only with the Japanese (`shared`). Field names
 * carry the language (`text.en`), so one plain form holds every version.
 */
export type MessageTexts = Record<string, string>;
type Props = {
  kind: string;
  lang: string;
  /** The language's own name, in labels of a version ("見出し（English）"). */
  langName?: string;
  texts: MessageTexts;
  errors: ComposeErrors;
  onText: (name: string, value: string) => void;
  onImage?: (e: React.ChangeEvent<HTMLInputElement>) => void;
  hide: (show: boolean) => boolean;
};

const ja = (n: number) => n.toLocaleString("ja-JP");

export function MessageFields({ kind, lang, langName, texts, errors, onText, onImage, hide }: Props) {
  const shared = !langName;
  const name = (f: string) => versionField(f, lang);
  const suffix = langName ? `（${langName}）` : "";
  const field = (f: string) => ({
    name: name(f),
    defaultValue: texts[name(f)] ?? "",
    error: errors[name(f)],
    lang: shared ? undefined : lang === "ja-x-easy" ? "ja" : lang,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onText(name(f), e.target.value),
  });
  const text = texts[name("text")] ?? "";
  return (
    <>
      <div hidden={hide(kind === "text")}>
        <TextAreaField
          label={`メッセージ${suffix}`}
          rows={shared ? 6 : 4}
          hint={`${ja(TEXT_MAX)}文字まで（いま${ja(text.length)}文字）`}
          {...field("text")}
        />
      </div>
      {shared ? (
        <div hidden={hide(kind === "image")}>
          <TextField
            label="画像"
            name="image"
            type="file"
            accept="image/png,image/jpeg"
            hint="PNGまたはJPEG、1MBまで"
            onChange={onImage}
            error={errors.image}
          />
        </div>
      ) : null}
      <div hidden={hide(kind === "flex")} className="space-y-4">
        <TextField label={`見出し${suffix}`} hint={`${CARD_TITLE_MAX}文字まで`} {...field("cardTitle")} />
        <TextAreaField label={`本文${suffix}`} rows={4} hint={`${ja(CARD_BODY_MAX)}文字まで`} {...field("cardBody")} />
        <TextField
          label={shared ? "ボタンの文字（任意）" : `ボタンの文字${suffix}`}
          hint={`${BUTTON_LABEL_MAX}文字まで。${shared ? "例：詳しくはこちら" : "日本語にボタンがあるときだけ使います"}`}
          {...field("buttonLabel")}
        />
        {shared ? (
          <>
            <TextField
              label="ボタンのリンク先（任意）"
              type="url"
              hint="https:// で始まるURL（どの言語でも同じです）"
              {...field("buttonUrl")}
            />
            <TextField
              label="カードの画像（任意）"
              name="cardImage"
              type="file"
              accept="image/png,image/jpeg"
              hint="PNGまたはJPEG、1MBまで"
              onChange={onImage}
              error={errors.cardImage}
            />
          </>
        ) : null}
      </div>
    </>
  );
}

/**
 * What the preview shows for one language: its own texts (furigana markup as LINE will show it),
 * Japanese where a version leaves a part out.
 */
export function previewFor(kind: string, lang: string, texts: MessageTexts, imageSrc: string | null): PreviewContent {
  // Only a version's own text is converted: the Japanese goes out exactly as typed (as it always has).
  const get = (f: string) => {
    const own = lang === "ja" ? "" : texts[versionField(f, lang)];
    return own ? rubyToParentheses(own) : texts[f] || "";
  };
  if (kind === "image") return { kind: "image", src: imageSrc };
  if (kind === "flex")
    return {
      kind: "flex",
      title: get("cardTitle"),
      body: get("cardBody"),
      buttonLabel: texts.buttonLabel ? get("buttonLabel") : "",
      imageSrc,
    };
  return { kind: "text", text: get("text") };
}
