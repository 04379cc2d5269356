import type { MouseEvent } from "react";
import { Form } from "react-router";
import { cx } from "~/components/ui/cx";
import type { AreaView, RichMenuView } from "../dev-line.server";

/**
 * The rich menu under the talk: the city's image with one button per area laid over it. An area
 * that sends (message, postback) submits its tap point and the server hit-tests the menu the
 * emulator holds; a link area is a link (the LIFF view opens in a new tab). The chat bar text opens
 * and closes the menu, as in LINE (a <details>, so no JavaScript is needed).
 */

const areaClass =
  "absolute flex items-center justify-center text-center text-[0.75rem] font-bold no-underline hover:bg-black/10 focus-visible:z-10 focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-[-4px] focus-visible:outline-black";

/** With a pointer, the exact point tapped (in menu pixels) replaces the area's centre. */
function pointAt(e: MouseEvent<HTMLButtonElement>, menu: RichMenuView) {
  if (e.detail === 0) return; // keyboard activation: keep the centre
  const box = e.currentTarget.parentElement?.getBoundingClientRect();
  if (!box || box.width === 0 || box.height === 0) return;
  const x = Math.floor(((e.clientX - box.left) / box.width) * menu.width);
  const y = Math.floor(((e.clientY - box.top) / box.height) * menu.height);
  if (x >= 0 && y >= 0 && x < menu.width && y < menu.height) e.currentTarget.value = `${x},${y}`;
}

function Area({ area, menu, showLabel }: { area: AreaView; menu: RichMenuView; showLabel: boolean }) {
  const style = { left: `${area.left}%`, top: `${area.top}%`, width: `${area.width}%`, height: `${area.height}%` };
  const text = <span className={showLabel ? undefined : "sr-only"}>{area.label}</span>;
  const b = area.button;
  if (b.kind === "send") {
    return (
      <button
        type="submit"
        name="tap"
        value={area.tap}
        onClick={(e) => pointAt(e, menu)}
        style={style}
        className={cx(areaClass, "bg-transparent")}
      >
        {text}
      </button>
    );
  }
  if (b.kind === "open" || b.kind === "location" || b.kind === "image") {
    const href = b.kind === "open" ? b.href : b.kind === "image" ? "#image-form" : "#location-form";
    return (
      <a
        href={href}
        target={b.kind === "open" ? "_blank" : undefined}
        rel="noopener noreferrer"
        style={style}
        className={cx(areaClass, "text-solid-gray-900")}
      >
        {text}
        {b.kind === "open" ? (
          <span className="sr-only">
            {b.external ? "（外部サイトを新しいタブで開きます）" : "（LIFFページを新しいタブで開きます）"}
          </span>
        ) : null}
      </a>
    );
  }
  return (
    <button
      type="button"
      disabled
      style={style}
      className={areaClass}
      title={`${b.kind === "unsupported" ? b.type : "datetimepicker"}はシミュレーターでは未対応です`}
    >
      {text}
    </button>
  );
}

export function RichMenuPanel({ menu, action }: { menu: RichMenuView; action: string }) {
  return (
    <details open={menu.selected || undefined} className="border-t border-solid-gray-300 bg-white">
      <summary className="flex min-h-tap cursor-pointer items-center justify-center font-bold text-solid-gray-900">
        {menu.chatBarText}
        <span className="sr-only">（リッチメニューを開く・閉じる）</span>
      </summary>
      <Form method="post" action={action} aria-label="リッチメニュー">
        <input type="hidden" name="intent" value="menu" />
        <input type="hidden" name="richMenuId" value={menu.richMenuId} />
        <div className="relative w-full" style={{ aspectRatio: `${menu.width} / ${menu.height}` }}>
          {menu.imageSrc ? (
            // The areas carry the names; the image only shows what they look like.
            <img src={menu.imageSrc} alt="" className="absolute inset-0 h-full w-full" />
          ) : (
            <div className="absolute inset-0 bg-solid-gray-100" />
          )}
          {menu.areas.map((a) => (
            <Area key={a.index} area={a} menu={menu} showLabel={!menu.imageSrc} />
          ))}
        </div>
      </Form>
    </details>
  );
}
