import { createRequire } from "node:module";
import type * as ResvgModule from "@resvg/resvg-js";
import { ICON_PATHS } from "./icons";
import { MAX_IMAGE_BYTES } from "./image-check";
import { MENU_HEIGHT, MENU_WIDTH, tileBounds, type Bounds } from "./layout";
import type { IconKey, RichMenuKind, RichMenuTile } from "./tiles";

/**
 * The rich-menu image, drawn on the server from the tiles (ADR 009): an SVG built here, rasterised
 * by resvg (a prebuilt native renderer, no system libraries) with Noto Sans JP Bold shipped by an
 * npm package — the machines have no Japanese system font, and resvg ignores system fonts here
 * anyway (loadSystemFonts: false), so every machine draws the same pixels.
 */
const FONT_FAMILY = "Noto Sans JP";
const require = createRequire(import.meta.url);

// Required by a name held in a variable, not imported: Vite's dev server also walks server modules
// for the browser's dependency optimizer, which cannot bundle resvg's native .node binding and
// would then fail the whole optimization. Node resolves it normally at run time (it stays external).
const RESVG_PACKAGE = "@resvg/resvg-js";
let resvg: typeof ResvgModule | undefined;
const loadResvg = () => (resvg ??= require(RESVG_PACKAGE) as typeof ResvgModule);
let fontFile: string | undefined;
/** Resolved lazily: a missing font package fails the publish with a clear error, not the app's boot. */
export function labelFontFile(): string {
  fontFile ??= require.resolve("@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf");
  return fontFile;
}

/**
 * Digital Agency design-system colours. Everyday: blue-900 on white (contrast 10:1). Disaster:
 * white on red-900 (5.9:1), so the switch is unmistakable at a glance, with orange-200 dividers.
 */
export const THEMES: Record<RichMenuKind, { background: string; foreground: string; divider: string }> = {
  default: { background: "#ffffff", foreground: "#0017c1", divider: "#9db7f9" },
  disaster: { background: "#ce0000", foreground: "#ffffff", divider: "#ffc199" },
};

const ICON_SIZE = 300;
const GAP = 56;
const LINE_HEIGHT = 1.25;
const MAX_FONT = 124;
const SIDE_PADDING = 56;

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

/** Width in em: CJK and full-width forms take 1em, Latin and half-width kana about 0.6em. */
function emWidth(s: string): number {
  return Array.from(s).reduce((w, ch) => w + (/[\u0020-\u007e\uff61-\uff9f]/.test(ch) ? 0.6 : 1), 0);
}

// Characters a Japanese line must not start with (kinsoku): small kana, long vowel mark, closing punctuation.
const NO_LINE_START = /^[ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー、。，．・：；？！）」』】〕｝〉》]/;

/**
 * One line when it fits at a readable size, else two: at a space if the admin typed one
 * (「ごみ 出し方」), otherwise near the middle without breaking kinsoku.
 */
export function labelLines(label: string): string[] {
  const text = label.trim();
  const space = text.search(/[ \u3000]/);
  if (space > 0) return [text.slice(0, space), text.slice(space + 1).trim()].filter(Boolean);
  const glyphs = Array.from(text);
  if (emWidth(text) <= 6.5) return [text];
  let cut = Math.ceil(glyphs.length / 2);
  while (cut < glyphs.length - 1 && NO_LINE_START.test(glyphs[cut])) cut++;
  return [glyphs.slice(0, cut).join(""), glyphs.slice(cut).join("")];
}

function tileSvg(tile: RichMenuTile, b: Bounds, color: string): string {
  const lines = labelLines(tile.label);
  const widest = Math.max(...lines.map(emWidth));
  const fontSize = Math.floor(Math.min(MAX_FONT, (b.width - 2 * SIDE_PADDING) / widest));
  const textHeight = lines.length * fontSize * LINE_HEIGHT;
  const top = b.y + (b.height - (ICON_SIZE + GAP + textHeight)) / 2;
  const cx = b.x + b.width / 2;
  const scale = ICON_SIZE / 24;
  const path = ICON_PATHS[tile.icon as IconKey] ?? ICON_PATHS.info;
  const icon = `<path transform="translate(${cx - ICON_SIZE / 2} ${top}) scale(${scale})" d="${path}" fill="none" stroke="${color}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`;
  // Noto's ascent is about 0.88em: baselines placed so each line's glyphs sit inside its line box.
  const text = lines
    .map(
      (line, k) =>
        `<text x="${cx}" y="${(top + ICON_SIZE + GAP + fontSize * (0.9 + LINE_HEIGHT * k)).toFixed(1)}">${escapeXml(line)}</text>`,
    )
    .join("");
  return `${icon}<g font-family="${FONT_FAMILY}" font-weight="700" font-size="${fontSize}" fill="${color}" text-anchor="middle">${text}</g>`;
}

/** The SVG source (exported for tests and debugging); the PNG is what LINE receives. */
export function richMenuSvg(tiles: RichMenuTile[], kind: RichMenuKind): string {
  const theme = THEMES[kind];
  const bounds = tileBounds();
  const dividers = [
    ...[1, 2].map((c) => `<rect x="${bounds[c].x - 4}" y="40" width="8" height="${MENU_HEIGHT - 80}"/>`),
    `<rect x="40" y="${bounds[3].y - 4}" width="${MENU_WIDTH - 80}" height="8"/>`,
  ].join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${MENU_WIDTH}" height="${MENU_HEIGHT}" viewBox="0 0 ${MENU_WIDTH} ${MENU_HEIGHT}">`,
    `<rect width="${MENU_WIDTH}" height="${MENU_HEIGHT}" fill="${theme.background}"/>`,
    `<g fill="${theme.divider}">${dividers}</g>`,
    ...tiles.map((t, i) => tileSvg(t, bounds[i], theme.foreground)),
    `</svg>`,
  ].join("");
}

export class RichMenuImageError extends Error {}

/**
 * Renders the PNG off the event loop (resvg's async render runs on libuv's pool). A flat two-colour
 * design compresses to ~100 KB; the 1 MB check is LINE's limit, guarded here rather than assumed.
 */
export async function renderRichMenuPng(tiles: RichMenuTile[], kind: RichMenuKind): Promise<Buffer> {
  const image = await loadResvg().renderAsync(richMenuSvg(tiles, kind), {
    font: { fontFiles: [labelFontFile()], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: "original" },
    textRendering: 1,
    shapeRendering: 2,
    logLevel: "off",
  });
  const png = image.asPng();
  if (png.length > MAX_IMAGE_BYTES)
    throw new RichMenuImageError(`generated rich menu image is ${png.length} bytes, over LINE's 1 MB`);
  return png;
}
