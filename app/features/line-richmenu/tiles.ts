import { z } from "zod";
import type { RichMenuKind, RichMenuTile, RichMenuTileAction } from "#db/schema/line-richmenu";

/**
 * The 6 tiles of a city's rich menu: what the admin edits, what the image is drawn from and what
 * becomes the menu's tap areas. Shared by the server and the editor (no server-only imports), so
 * the page and the use-cases speak one vocabulary.
 */
export type { RichMenuKind, RichMenuTile, RichMenuTileAction };

export const TILE_COUNT = 6;
export const LABEL_MAX = 12;
export const RICH_MENU_KINDS = ["default", "disaster"] as const satisfies readonly RichMenuKind[];
export const KIND_LABEL: Record<RichMenuKind, string> = { default: "通常メニュー", disaster: "災害用メニュー" };

/** Built-in icons (paths in ./icons.ts); keys are stored in the tiles, names shown in the editor. */
export const ICONS = {
  calendar: "カレンダー（予約）",
  check: "チェック（確認）",
  bell: "ベル（通知・受信設定）",
  megaphone: "メガホン（お知らせ）",
  info: "インフォメーション",
  "map-pin": "地図のピン（避難所・場所）",
  phone: "電話（問い合わせ）",
  home: "家（ホームページ）",
  chat: "吹き出し（相談）",
  trash: "ごみ箱（ごみ）",
  gear: "歯車（設定）",
  warning: "注意（災害情報）",
} as const;
export type IconKey = keyof typeof ICONS;
export const ICON_KEYS = Object.keys(ICONS) as IconKey[];

export const ACTION_TYPES = {
  liff: "この自治体のページを開く",
  message: "メッセージを送る",
  postback: "ポストバック（データを送る）",
  uri: "外部のURLを開く",
} as const;
export type ActionType = keyof typeof ACTION_TYPES;

/** What the one "value" field of a tile means for each action type (the editor's hint). */
export const ACTION_VALUE_HINT: Record<ActionType, string> = {
  liff: "ページのパス（例：/c/市のID/reserve）",
  message: "利用者の代わりに送る文字（300文字まで）",
  postback: "送るデータ（300文字まで）",
  uri: "https:// で始まるURL",
};

const chars = (s: string) => Array.from(s).length;
// Line breaks and control characters would break the drawn label and LINE's action texts.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Validation of one tile; `slug` pins `liff` paths to this city's own pages. */
export function tileSchema(slug: string) {
  const cityPath = new RegExp(`^/c/${slug.replace(/[^a-z0-9-]/gi, "")}(?:[/?][^\\s#]*)?$`);
  const text300 = (what: string) =>
    z
      .string()
      .trim()
      .min(1, `${what}を入力してください。`)
      .refine((v) => chars(v) <= 300, `${what}は300文字以内で入力してください。`)
      .refine((v) => !CONTROL.test(v), `${what}に改行などの制御文字は使えません。`);
  const action = z.discriminatedUnion(
    "type",
    [
      z.object({
        type: z.literal("liff"),
        path: z
          .string()
          .trim()
          .min(1, "開くページのパスを入力してください。")
          .max(200, "パスは200文字以内で入力してください。")
          .regex(cityPath, `この自治体のページのパス（/c/${slug} で始まるもの）を入力してください。`)
          // "/c/<slug>/../other-city" would resolve to another city's page once the browser normalises it.
          .refine((v) => !/\/\.|\\/.test(v), "パスに「/.」や「\\」は使えません。"),
      }),
      z.object({ type: z.literal("message"), text: text300("送る文字") }),
      z.object({
        type: z.literal("postback"),
        data: text300("送るデータ"),
        displayText: text300("表示テキスト").optional(),
      }),
      z.object({
        type: z.literal("uri"),
        uri: z
          .string()
          .trim()
          .min(1, "URLを入力してください。")
          .max(1000, "URLは1000文字以内で入力してください。")
          .refine(isHttpsUrl, "https:// で始まる正しいURLを入力してください。"),
      }),
    ],
    { error: "タップしたときの動作を選んでください。" },
  );
  return z.object({
    label: z
      .string()
      .trim()
      .min(1, "ボタンの文字を入力してください。")
      .refine((v) => chars(v) <= LABEL_MAX, `ボタンの文字は${LABEL_MAX}文字以内で入力してください。`)
      .refine((v) => !CONTROL.test(v), "ボタンの文字に改行などの制御文字は使えません。"),
    icon: z.enum(ICON_KEYS as [IconKey, ...IconKey[]], { error: "アイコンを選んでください。" }),
    action,
  });
}

function isHttpsUrl(v: string) {
  try {
    const u = new URL(v);
    return u.protocol === "https:" && !!u.hostname && !/\s/.test(v);
  } catch {
    return false;
  }
}

export type TileErrors = Record<string, string>;
export type TilesResult = { ok: true; tiles: RichMenuTile[] } | { ok: false; errors: TileErrors };

/** Form field names of tile i: `tiles.<i>.label` etc. Errors use the same keys. */
export const fieldName = (i: number, field: "label" | "icon" | "actionType" | "value" | "displayText") =>
  `tiles.${i}.${field}`;

/** Checks a whole set: exactly 6 tiles, each valid. Error keys are the form's field names. */
export function validateTiles(slug: string, tiles: unknown): TilesResult {
  if (!Array.isArray(tiles) || tiles.length !== TILE_COUNT)
    return { ok: false, errors: { _form: `ボタンはちょうど${TILE_COUNT}個必要です。` } };
  const schema = tileSchema(slug);
  const errors: TileErrors = {};
  const out: RichMenuTile[] = [];
  tiles.forEach((tile, i) => {
    const parsed = schema.safeParse(tile);
    if (parsed.success) {
      const { displayText, ...rest } = parsed.data.action as RichMenuTileAction & { displayText?: string };
      out.push({
        label: parsed.data.label,
        icon: parsed.data.icon,
        action: (displayText ? { ...rest, displayText } : rest) as RichMenuTileAction,
      });
      return;
    }
    for (const issue of parsed.error.issues) {
      const [head, sub] = issue.path.map(String);
      const key =
        head === "action"
          ? sub === "type" || sub === undefined
            ? "actionType"
            : sub === "displayText"
              ? "displayText"
              : "value"
          : head === "icon"
            ? "icon"
            : "label";
      errors[fieldName(i, key as "label")] ??= issue.message;
    }
  });
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, tiles: out };
}

/** The editor's flat fields → tiles (not yet validated). Empty optional fields are dropped. */
export function tilesFromForm(form: FormData | Record<string, string>): unknown[] {
  const get = (k: string) => {
    const v = form instanceof FormData ? form.get(k) : form[k];
    return typeof v === "string" ? v : "";
  };
  return Array.from({ length: TILE_COUNT }, (_, i) => {
    const type = get(fieldName(i, "actionType"));
    const value = get(fieldName(i, "value"));
    const displayText = get(fieldName(i, "displayText")).trim();
    const action =
      type === "liff"
        ? { type, path: value }
        : type === "message"
          ? { type, text: value }
          : type === "postback"
            ? { type, data: value, ...(displayText ? { displayText } : {}) }
            : type === "uri"
              ? { type, uri: value }
              : { type };
    return { label: get(fieldName(i, "label")), icon: get(fieldName(i, "icon")), action };
  });
}

/** Tiles → the editor's flat fields, to fill the form from the stored tiles. */
export function tilesToForm(tiles: RichMenuTile[]): Record<string, string> {
  const out: Record<string, string> = {};
  tiles.forEach((t, i) => {
    const a = t.action;
    out[fieldName(i, "label")] = t.label;
    out[fieldName(i, "icon")] = t.icon;
    out[fieldName(i, "actionType")] = a.type;
    out[fieldName(i, "value")] =
      a.type === "liff" ? a.path : a.type === "message" ? a.text : a.type === "postback" ? a.data : a.uri;
    out[fieldName(i, "displayText")] = a.type === "postback" ? (a.displayText ?? "") : "";
  });
  return out;
}

/**
 * A sensible starting menu for a new city (and the demo seed). Message texts match the keywords
 * the account answers (予約, 受信設定, 問い合わせ, 避難所, 通報).
 */
export function defaultTiles(slug: string, kind: RichMenuKind): RichMenuTile[] {
  const page = (p = "") => ({ type: "liff" as const, path: `/c/${slug}${p}` });
  if (kind === "disaster") {
    return [
      { label: "避難所を探す", icon: "map-pin", action: { type: "message", text: "避難所" } },
      { label: "災害情報", icon: "warning", action: page() },
      { label: "問い合わせ", icon: "phone", action: { type: "message", text: "問い合わせ" } },
      { label: "受信設定", icon: "bell", action: { type: "message", text: "受信設定" } },
      { label: "予約の確認", icon: "check", action: page("/reservation") },
      { label: "ホームページ", icon: "home", action: page() },
    ];
  }
  return [
    { label: "予約する", icon: "calendar", action: page("/reserve") },
    { label: "予約の確認・変更", icon: "check", action: page("/reservation") },
    { label: "お知らせの受信設定", icon: "bell", action: { type: "message", text: "受信設定" } },
    { label: "避難所", icon: "map-pin", action: { type: "message", text: "避難所" } },
    { label: "問い合わせ", icon: "phone", action: { type: "message", text: "問い合わせ" } },
    // Issue 17: 「通報」 starts the report dialog (道路・公園などの不具合); the home page is one tap from 予約.
    { label: "道路・公園の通報", icon: "warning", action: { type: "message", text: "通報" } },
  ];
}
