/**
 * Geometry shared by the drawn image and the menu's tap areas, so a tile's picture and the spot
 * that reacts to a tap are the same rectangle. LINE's large menu size; 2 rows × 3 columns.
 */
export const MENU_WIDTH = 2500;
export const MENU_HEIGHT = 1686;
export const COLUMNS = 3;
export const ROWS = 2;

/** Sizes an uploaded image may have: LINE's two "large" 2×3 templates (same aspect ratio). */
export const UPLOAD_SIZES = [
  { width: 2500, height: 1686 },
  { width: 1200, height: 810 },
] as const;

export type Bounds = { x: number; y: number; width: number; height: number };

/**
 * The 6 tile rectangles, row by row. Edges are rounded once and shared by neighbours, so the
 * areas cover the image exactly with no gap or overlap (2500 / 3 is not a whole number).
 */
export function tileBounds(width = MENU_WIDTH, height = MENU_HEIGHT): Bounds[] {
  const xs = Array.from({ length: COLUMNS + 1 }, (_, i) => Math.round((i * width) / COLUMNS));
  const ys = Array.from({ length: ROWS + 1 }, (_, j) => Math.round((j * height) / ROWS));
  const out: Bounds[] = [];
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLUMNS; c++)
      out.push({ x: xs[c], y: ys[r], width: xs[c + 1] - xs[c], height: ys[r + 1] - ys[r] });
  }
  return out;
}
