/**
 * What the resident will see in LINE, drawn from the composer's current values (or a stored
 * broadcast): a chat bubble for text, the image, or the card. An approximation of LINE's look,
 * close enough for staff to catch a wrong line break or a missing button.
 */
export type PreviewContent =
  | { kind: "text"; text: string }
  | { kind: "image"; src: string | null }
  | { kind: "flex"; title: string; body: string; buttonLabel?: string; imageSrc?: string | null };

export function MessagePreview({
  content,
  cityName,
  caption,
  lang,
}: {
  content: PreviewContent;
  cityName: string;
  /** Which version this is (the language's own name) when a broadcast has several. */
  caption?: string;
  /** The version's language, for screen readers and fonts. */
  lang?: string;
}) {
  return (
    <figure
      className="rounded-16 bg-[#c9d8ef] p-4"
      aria-label={caption ? `LINEでの表示イメージ（${caption}）` : "LINEでの表示イメージ"}
    >
      <figcaption className="mb-2 text-sm font-bold text-solid-gray-900">
        {cityName}
        {caption ? <span className="ml-2 rounded-8 bg-white px-2 py-0.5 font-normal">{caption}</span> : null}
      </figcaption>
      {content.kind === "text" ? (
        <p
          lang={lang === "ja-x-easy" ? "ja" : lang}
          className="max-w-[18rem] whitespace-pre-wrap break-words rounded-16 bg-white px-4 py-2 text-solid-gray-900"
        >
          {content.text || "（メッセージを入力すると、ここに表示されます）"}
        </p>
      ) : null}
      {content.kind === "image" ? (
        content.src ? (
          <img src={content.src} alt="配信する画像" className="max-h-64 max-w-[18rem] rounded-16 bg-white" />
        ) : (
          <p className="max-w-[18rem] rounded-16 bg-white px-4 py-2 text-solid-gray-700">
            （画像を選ぶと、ここに表示されます）
          </p>
        )
      ) : null}
      {content.kind === "flex" ? (
        <div lang={lang === "ja-x-easy" ? "ja" : lang} className="max-w-[18rem] overflow-hidden rounded-16 bg-white">
          {content.imageSrc ? (
            <img src={content.imageSrc} alt="" className="aspect-[20/13] w-full object-cover" />
          ) : null}
          <div className="space-y-2 px-4 py-3">
            <p className="text-lg font-bold break-words">{content.title || "（見出し）"}</p>
            <p className="whitespace-pre-wrap break-words">{content.body || "（本文）"}</p>
          </div>
          {content.buttonLabel ? (
            <p className="m-3 rounded-8 bg-[#06c755] px-4 py-2 text-center font-bold text-white">
              {content.buttonLabel}
            </p>
          ) : null}
        </div>
      ) : null}
    </figure>
  );
}
