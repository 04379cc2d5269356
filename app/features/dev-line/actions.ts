/**
 * What a tap does in the simulator, the way the LINE app does it: a LINE action object (from a quick
 * reply, a template, a flex button or a rich-menu area) becomes webhook events for the emulator to
 * deliver, a page to open, or nothing the simulator can imitate. Pure functions: no I/O.
 */

/** The webhook event inputs /__emulator/events accepts (emulators/line/webhook.ts). */
export type EventInput =
  | { type: "follow" }
  | { type: "unfollow" }
  | { type: "message"; message: { type: "text"; text: string } }
  | {
      type: "message";
      message: { type: "location"; title: string; address: string; latitude: number; longitude: number };
    }
  | { type: "message"; message: { type: "image"; contentType: string; contentBase64: string } }
  | { type: "postback"; postback: { data: string; params?: Record<string, string> } };

/** A LINE action as the app sent it; only the fields the simulator reads. */
export type LineAction = {
  type: string;
  label?: string;
  data?: string;
  text?: string;
  displayText?: string;
  uri?: string;
  mode?: string;
};

/** What a tap on an action does. `echo` is what the chat shows as the resident's own message. */
export type TapOutcome =
  | { kind: "events"; events: EventInput[]; echo: string | null }
  | { kind: "open"; uri: string }
  | { kind: "location" }
  | { kind: "image" }
  | { kind: "datetime"; mode: DatetimeMode }
  | { kind: "unsupported"; type: string };

export type DatetimeMode = "date" | "time" | "datetime";

// The formats LINE puts in a datetime picker's postback params (and HTML's date/time inputs produce).
const DATETIME_FORMAT: Record<DatetimeMode, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}$/,
  datetime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/,
};

/** The postback LINE sends when a datetime picker is answered; null for a value of the wrong shape. */
export function datetimeEvent(action: LineAction, value: string): EventInput | null {
  const mode = action.mode as DatetimeMode;
  if (!DATETIME_FORMAT[mode]?.test(value)) return null;
  return { type: "postback", postback: { data: action.data ?? "", params: { [mode]: value } } };
}

/** Images the simulator sends as a resident's photo: the types LINE's apps send, 1 MB at most. */
export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];
export const IMAGE_MAX_BYTES = 1024 * 1024;

/** LINE's limit on a text message (Messaging API, message object). */
export const TEXT_MAX = 5000;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Narrows an unknown JSON value to an action; null when it has no string `type`. */
export function asAction(v: unknown): LineAction | null {
  if (!isRecord(v) || typeof v.type !== "string") return null;
  const out: LineAction = { type: v.type };
  for (const k of ["label", "data", "text", "displayText", "uri", "mode"] as const)
    if (typeof v[k] === "string") out[k] = v[k];
  return out;
}

export function textEvent(text: string): EventInput {
  return { type: "message", message: { type: "text", text } };
}

export function tapAction(action: LineAction): TapOutcome {
  switch (action.type) {
    case "postback":
      // LINE shows displayText as if the resident had typed it, but sends only the postback event.
      return {
        kind: "events",
        events: [{ type: "postback", postback: { data: action.data ?? "" } }],
        echo: action.displayText ?? null,
      };
    case "message":
      return action.text
        ? { kind: "events", events: [textEvent(action.text)], echo: action.text }
        : { kind: "unsupported", type: action.type };
    case "richmenuswitch":
      // The emulator has no rich-menu aliases; the app still gets the postback LINE would send.
      return { kind: "events", events: [{ type: "postback", postback: { data: action.data ?? "" } }], echo: null };
    case "uri":
      return action.uri ? { kind: "open", uri: action.uri } : { kind: "unsupported", type: action.type };
    case "location":
      return { kind: "location" };
    case "camera":
    case "cameraRoll":
      // The simulator's image form stands in for the camera and the photo roll.
      return { kind: "image" };
    case "datetimepicker":
      return action.mode === "date" || action.mode === "time" || action.mode === "datetime"
        ? { kind: "datetime", mode: action.mode }
        : { kind: "unsupported", type: action.type };
    default:
      // clipboard: needs a device the simulator does not imitate.
      return { kind: "unsupported", type: action.type };
  }
}

/** The label a button shows; LINE makes `label` optional for rich-menu areas, so fall back. */
export function actionLabel(action: LineAction): string {
  return action.label ?? action.displayText ?? action.text ?? action.uri ?? action.data ?? action.type;
}

/** Where a link leads, seen from the simulator. */
export type LinkTarget =
  /** An app page, opened as the LIFF view (with a LINE ID token). Always a same-origin path. */
  { kind: "app"; path: string } | { kind: "external"; href: string } | { kind: "unsupported" };

export type LinkContext = { appOrigin: string; citySlug: string; liffId: string | null };

/**
 * LIFF URLs (`https://liff.line.me/<liffId>/<path>`) of the city's own LIFF app and links to the app
 * itself open the app page; other http(s) links are external. The city's LIFF endpoint URL is taken to
 * be `/c/<city>` (a LIFF path may also repeat it), and the older `?liff.state=<path>` form is
 * understood, as the LIFF SDK does after LINE's redirect.
 */
export function resolveLink(uri: string, ctx: LinkContext): LinkTarget {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (_err) {
    return { kind: "unsupported" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { kind: "unsupported" };
  if (url.origin === ctx.appOrigin) return { kind: "app", path: `${url.pathname}${url.search}${url.hash}` };
  if (url.hostname !== "liff.line.me") return { kind: "external", href: url.href };

  const [liffId, ...rest] = url.pathname.split("/").filter(Boolean);
  if (!liffId || liffId !== ctx.liffId) return { kind: "external", href: url.href };
  const state = url.searchParams.get("liff.state");
  url.searchParams.delete("liff.state");
  let path = `/${rest.join("/")}`;
  let search = url.search;
  if (state !== null && rest.length === 0) {
    const inner = new URL(state, "http://x");
    path = inner.pathname;
    search = mergeSearch(inner.search, url.search);
  }
  const base = `/c/${ctx.citySlug}`;
  const full = path === base || path.startsWith(`${base}/`) ? path : `${base}${path === "/" ? "" : path}`;
  return { kind: "app", path: `${full}${search}${url.hash}` };
}

function mergeSearch(a: string, b: string): string {
  const p = new URLSearchParams(a);
  for (const [k, v] of new URLSearchParams(b)) p.append(k, v);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** The app path with the simulator's ID token, in the parameter the app reads in dev mode. */
export function withLiffToken(path: string, idToken: string): string {
  const url = new URL(path, "http://x");
  url.searchParams.set("liffMockToken", idToken);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Only a same-origin absolute path may be opened: never `//host` or a scheme. */
export function isSafeAppPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
}
