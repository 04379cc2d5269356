import type { ReactNode } from "react";
import { Form } from "react-router";
import { cx } from "~/components/ui/cx";
import type { ActionButton, Bubble, BubbleBody } from "../timeline.server";

/**
 * The talk screen of the simulated phone: bubbles (the city on the left, the resident on the right,
 * notes in the middle), then the quick replies of the newest message. Every tappable button is a
 * plain form submit, so the simulator works without JavaScript too.
 */

const chipClass =
  "inline-flex min-h-tap items-center rounded-full border border-[#06c755] bg-white px-4 text-[0.9375rem] font-bold text-[#05632b] no-underline hover:bg-[#e9f9ef] focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-black disabled:border-solid-gray-300 disabled:text-solid-gray-600";

/** One action: a submit (inside a form posting intent=tap), a link, or a disabled chip. */
export function ActionChip({ button, className }: { button: ActionButton; className?: string }) {
  switch (button.kind) {
    case "send":
      return (
        <button type="submit" name="ref" value={button.ref} className={cx(chipClass, className)}>
          {button.label}
        </button>
      );
    case "open":
      return (
        <a href={button.href} target="_blank" rel="noopener noreferrer" className={cx(chipClass, className)}>
          {button.label}
          <span className="sr-only">
            {button.external ? "（外部サイトを新しいタブで開きます）" : "（LIFFページを新しいタブで開きます）"}
          </span>
        </a>
      );
    case "location":
      return (
        <a href="#location-form" className={cx(chipClass, className)}>
          {button.label}
          <span className="sr-only">（位置情報の送信へ移動）</span>
        </a>
      );
    case "image":
      return (
        <a href="#image-form" className={cx(chipClass, className)}>
          {button.label}
          <span className="sr-only">（画像の送信へ移動）</span>
        </a>
      );
    case "datetime":
      // LINE opens a picker; here the chip carries its own input, sent with the tap.
      return (
        <span className={cx("inline-flex items-center gap-1", className)}>
          <label className="sr-only" htmlFor={`dt-${button.ref}`}>
            {button.label}
          </label>
          <input
            id={`dt-${button.ref}`}
            name={`dt:${button.ref}`}
            type={button.mode === "datetime" ? "datetime-local" : button.mode}
            className="min-h-tap rounded-8 border border-solid-gray-420 px-2"
          />
          <button type="submit" name="ref" value={button.ref} className={chipClass}>
            {button.label}
          </button>
        </span>
      );
    default:
      return (
        <button type="button" disabled className={cx(chipClass, className)}>
          {button.label}（{button.type}は未対応）
        </button>
      );
  }
}

/** Buttons that post a ref need the form around them; links and disabled chips do not care. */
export function TapForm({ action, children, className }: { action: string; children: ReactNode; className?: string }) {
  return (
    <Form method="post" action={action} className={className}>
      <input type="hidden" name="intent" value="tap" />
      {children}
    </Form>
  );
}

function Body({ body, action }: { body: BubbleBody; action: string }) {
  switch (body.type) {
    case "text":
      return (
        <p className="whitespace-pre-wrap break-words">
          {body.segments.map((s, i) =>
            s.href ? (
              <a key={i} href={s.href} target="_blank" rel="noopener noreferrer">
                {s.text}
              </a>
            ) : (
              <span key={i}>{s.text}</span>
            ),
          )}
        </p>
      );
    case "image":
      // The app's image URL as sent; a dev page may load it directly.
      return <img src={body.src} alt="送られてきた画像" className="max-h-60 rounded-8" />;
    case "location":
      return (
        <p>
          <span className="block text-[0.75em] text-solid-gray-700">位置情報</span>
          <span className="font-bold">{body.title}</span>
          {body.address ? <span className="block text-[0.875em]">{body.address}</span> : null}
        </p>
      );
    case "card":
      return (
        <div>
          {body.title ? <p className="text-[0.8125em] text-solid-gray-700">{body.title}</p> : null}
          {body.lines.map((l, i) => (
            <p key={i} className="whitespace-pre-wrap break-words">
              {l}
            </p>
          ))}
          {body.actions.length ? (
            <TapForm action={action} className="mt-2 flex flex-col gap-2">
              {body.actions.map((b, i) => (
                <ActionChip key={i} button={b} className="justify-center" />
              ))}
            </TapForm>
          ) : null}
        </div>
      );
    case "carousel":
      return (
        <div>
          {body.title ? <p className="text-[0.8125em] text-solid-gray-700">{body.title}</p> : null}
          <ul className="mt-1 flex gap-2 overflow-x-auto pb-1" aria-label="カルーセル">
            {body.cards.map((c, i) => (
              <li key={i} className="w-48 shrink-0 rounded-8 border border-solid-gray-300 p-2">
                {c.lines.map((l, j) => (
                  <p key={j} className="whitespace-pre-wrap break-words">
                    {l}
                  </p>
                ))}
                {c.actions.length ? (
                  <TapForm action={action} className="mt-2 flex flex-col gap-2">
                    {c.actions.map((b, j) => (
                      <ActionChip key={j} button={b} className="justify-center" />
                    ))}
                  </TapForm>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      );
    case "note":
      return <p>{body.text}</p>;
    default:
      return <p className="text-solid-gray-700">{body.text}</p>;
  }
}

export function ChatLog({ bubbles, cityName, action }: { bubbles: Bubble[]; cityName: string; action: string }) {
  // The log opens at the newest message, as in the LINE app (issue 13.8). A column-reverse scroll
  // container starts at its bottom and stays there as bubbles arrive or images load — with or
  // without JavaScript, and without scrollIntoView moving the whole page. One child, so the
  // reading order stays oldest first.
  return (
    <div
      role="log"
      aria-label="トーク履歴"
      tabIndex={0}
      className="flex flex-1 flex-col-reverse overflow-y-auto bg-[#8cabd9] px-3 py-4 focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-[-4px] focus-visible:outline-black"
    >
      <div>
        {bubbles.length === 0 ? (
          <p className="rounded-8 bg-white/80 p-3 text-center text-[0.875rem]">
            まだメッセージはありません。「友だち追加」から始めてください。
          </p>
        ) : null}
        <ol className="flex flex-col gap-3">
          {bubbles.map((b) =>
            b.from === "system" ? (
              <li key={b.id} className="flex justify-center">
                <div
                  className={cx(
                    "rounded-full px-3 py-1 text-center text-[0.8125rem]",
                    b.body.type === "note" && b.body.tone === "error"
                      ? "bg-red-50 font-bold text-error-2"
                      : "bg-black/40 text-white",
                  )}
                >
                  <Body body={b.body} action={action} />
                </div>
              </li>
            ) : (
              <li key={b.id} className={cx("flex items-end gap-2", b.from === "user" && "flex-row-reverse")}>
                <div
                  className={cx(
                    "max-w-[80%] rounded-[1.1rem] px-3 py-2 text-[0.9375rem] leading-normal text-solid-gray-900",
                    b.from === "user" ? "bg-[#c8f5a8]" : "bg-white",
                  )}
                >
                  <span className="sr-only">{b.from === "user" ? "あなた：" : `${cityName}（${b.via}）：`}</span>
                  <Body body={b.body} action={action} />
                </div>
                <span className="shrink-0 text-[0.6875rem] text-solid-gray-900">
                  {b.from === "app" && b.via !== "応答" ? <span className="block">{b.via}</span> : null}
                  <time>{b.time}</time>
                </span>
              </li>
            ),
          )}
        </ol>
      </div>
    </div>
  );
}

export function QuickReplies({ buttons, action }: { buttons: ActionButton[]; action: string }) {
  if (buttons.length === 0) return null;
  return (
    <section aria-label="クイックリプライ" className="border-t border-solid-gray-300 bg-white px-2 py-2">
      <TapForm action={action} className="flex gap-2 overflow-x-auto pb-1">
        {buttons.map((b, i) => (
          <ActionChip key={i} button={b} className="shrink-0" />
        ))}
      </TapForm>
    </section>
  );
}
