import type { messagingApi } from "@line/bot-sdk";
import { linePageUrl } from "~/integrations/line/liff-url";
import { tileBounds } from "./layout";
import { KIND_LABEL, type RichMenuKind, type RichMenuTile, type RichMenuTileAction } from "./tiles";

/**
 * Tiles → LINE's RichMenuRequest (messaging-api.yml: RichMenuRequest, RichMenuArea, Action). Pure,
 * so the tap areas can be checked without LINE. Areas come from the same grid as the image.
 */
export type ActionContext = { slug: string; liffId: string | null; appOrigin: string };

export const CHAT_BAR_TEXT: Record<RichMenuKind, string> = { default: "メニュー", disaster: "災害時メニュー" };

/** A `liff` tile opens one of the city's pages, as every LINE entry does (see linePageUrl). */
export function pageUrl(path: string, ctx: ActionContext): string {
  return linePageUrl(path, ctx);
}

export function lineAction(
  tile: { label: string; action: RichMenuTileAction },
  ctx: ActionContext,
): messagingApi.Action {
  const a = tile.action;
  // The label is not drawn by LINE on a rich menu; it is what screen readers announce for the area.
  const label = tile.label.slice(0, 20);
  switch (a.type) {
    case "liff":
      return { type: "uri", label, uri: pageUrl(a.path, ctx) } satisfies messagingApi.URIAction;
    case "uri":
      return { type: "uri", label, uri: a.uri } satisfies messagingApi.URIAction;
    case "message":
      return { type: "message", label, text: a.text } satisfies messagingApi.MessageAction;
    case "postback":
      return {
        type: "postback",
        label,
        data: a.data,
        ...(a.displayText ? { displayText: a.displayText } : {}),
      } satisfies messagingApi.PostbackAction;
  }
}

export function richMenuRequest(
  tiles: RichMenuTile[],
  kind: RichMenuKind,
  size: { width: number; height: number },
  ctx: ActionContext,
): messagingApi.RichMenuRequest {
  const bounds = tileBounds(size.width, size.height);
  return {
    size,
    // Shown open: in a disaster residents should not have to find the bar first.
    selected: true,
    name: `窓口 ${KIND_LABEL[kind]}`,
    chatBarText: CHAT_BAR_TEXT[kind],
    areas: tiles.map((tile, i) => ({ bounds: bounds[i], action: lineAction(tile, ctx) })),
  };
}
