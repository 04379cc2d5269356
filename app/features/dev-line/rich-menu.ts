import { actionLabel, asAction, isRecord, type LineAction } from "./actions";

/**
 * The rich menu as the simulator draws it: the image with one button per area on top, placed in
 * percentages of the menu size so it scales with the phone frame. Pure functions: the page renders
 * the same on the server and in the browser, and a tap is resolved on the server from the menu the
 * emulator holds (never from what the browser says the action was).
 */

export type Bounds = { x: number; y: number; width: number; height: number };
export type MenuArea = { bounds: Bounds; action: LineAction };
export type RichMenuDef = {
  richMenuId: string;
  chatBarText: string;
  selected: boolean;
  size: { width: number; height: number };
  areas: MenuArea[];
};

/**
 * One tappable area as drawn: percentages for CSS, the label for the button's accessible name, and
 * `tap`, the area's centre in menu pixels ("x,y"), which a press without a pointer position stands for.
 */
export type AreaBox = {
  index: number;
  left: number;
  top: number;
  width: number;
  height: number;
  label: string;
  tap: string;
  action: LineAction;
};

const int = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function asBounds(v: unknown): Bounds | null {
  if (!isRecord(v) || !int(v.x) || !int(v.y) || !int(v.width) || !int(v.height)) return null;
  return { x: v.x, y: v.y, width: v.width, height: v.height };
}

/** The emulator's `richMenu` (GET /__emulator/users/{id}/richmenu) narrowed; null when unusable. */
export function parseRichMenu(v: unknown): RichMenuDef | null {
  if (!isRecord(v) || typeof v.richMenuId !== "string" || !isRecord(v.size) || !Array.isArray(v.areas)) return null;
  const { width, height } = v.size;
  if (!int(width) || !int(height) || width <= 0 || height <= 0) return null;
  const areas: MenuArea[] = [];
  for (const a of v.areas) {
    const bounds = isRecord(a) ? asBounds(a.bounds) : null;
    const action = isRecord(a) ? asAction(a.action) : null;
    // An unreadable area stays as an inert placeholder, so the areas after it keep their indexes.
    areas.push(
      bounds && action ? { bounds, action } : { bounds: { x: 0, y: 0, width: 0, height: 0 }, action: { type: "none" } },
    );
  }
  return {
    richMenuId: v.richMenuId,
    chatBarText: typeof v.chatBarText === "string" && v.chatBarText ? v.chatBarText : "メニュー",
    selected: v.selected === true,
    size: { width, height },
    areas,
  };
}

const pct = (n: number, of: number) => Math.round((n / of) * 10_000) / 100;

export function areaBoxes(menu: RichMenuDef): AreaBox[] {
  return menu.areas.flatMap((a, index) =>
    a.action.type === "none" || a.bounds.width === 0
      ? []
      : [
          {
            index,
            left: pct(a.bounds.x, menu.size.width),
            top: pct(a.bounds.y, menu.size.height),
            width: pct(a.bounds.width, menu.size.width),
            height: pct(a.bounds.height, menu.size.height),
            label: actionLabel(a.action),
            tap: `${a.bounds.x + Math.floor(a.bounds.width / 2)},${a.bounds.y + Math.floor(a.bounds.height / 2)}`,
            action: a.action,
          },
        ],
  );
}

/**
 * The area a tap at (x, y) in menu pixels hits, as the LINE app resolves it: where areas overlap,
 * the one listed last is drawn on top and wins. -1 when the tap misses every area.
 */
export function areaAt(menu: RichMenuDef, x: number, y: number): number {
  for (let i = menu.areas.length - 1; i >= 0; i--) {
    const { bounds: b, action } = menu.areas[i];
    if (action.type !== "none" && x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height) return i;
  }
  return -1;
}
