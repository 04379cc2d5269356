import type { EventInput } from "./actions";
import type { SentRecord } from "./timeline.server";

/**
 * The LINE emulator's /__emulator control API (emulators/line/README.md), as the simulator uses it.
 * Called only from the simulator's loaders and actions, never from the browser: the emulator may
 * listen where the browser cannot reach, and the page keeps working without JavaScript.
 */

export class EmulatorError extends Error {
  constructor(
    message: string,
    /** 0 when the emulator did not answer at all. */
    readonly status: number,
  ) {
    super(message);
  }
}

export type EmulatorChannel = {
  channelId: string;
  liffId?: string;
  displayName: string;
  webhookUrl?: string;
  loginChannelId?: string;
};
export type DeliveryResult = { status: number; reason: string; detail: string };
export type UserRichMenu = { richMenuId: string | null; richMenu: unknown; imageUrl: string | null };

const TIMEOUT_MS = 5_000;

export function emulatorApi(baseUrl: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, baseUrl), {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (_err) {
      throw new EmulatorError(`LINEエミュレーター（${baseUrl}）に接続できません。`, 0);
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch (_err) {
        /* not JSON: keep the text */
      }
      throw new EmulatorError(message, res.status);
    }
    return JSON.parse(text) as T;
  }

  return {
    baseUrl,
    channels: async () => (await call<{ channels: EmulatorChannel[] }>("GET", "/__emulator/channels")).channels,
    /** `language`: of the resident's LINE app (the emulator's default is ja). */
    newUser: async (language?: string) =>
      (await call<{ userId: string }>("POST", "/__emulator/users", language ? { language } : undefined)).userId,
    /** Delivers the events as one signed webhook request and reports how the app answered. */
    events: (channelId: string, userId: string, events: EventInput[]) =>
      call<DeliveryResult>("POST", "/__emulator/events", { channelId, userId, events }),
    sent: async (channelId: string, userId: string) =>
      (await call<{ messages: SentRecord[] }>("GET", `/__emulator/sent?${new URLSearchParams({ channelId, userId })}`))
        .messages,
    richMenu: (channelId: string, userId: string) =>
      call<UserRichMenu>(
        "GET",
        `/__emulator/users/${encodeURIComponent(userId)}/richmenu?${new URLSearchParams({ channelId })}`,
      ),
    idToken: async (channelId: string, userId: string) =>
      (await call<{ idToken: string }>("POST", "/__emulator/id-tokens", { channelId, userId })).idToken,
    /** The rich menu's image, streamed through the app (the browser may not reach the emulator). */
    richMenuImage: async (richMenuId: string): Promise<Response | null> => {
      try {
        const res = await fetch(new URL(`/__emulator/richmenus/${encodeURIComponent(richMenuId)}/image`, baseUrl), {
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        return res.ok ? res : null;
      } catch (_err) {
        return null;
      }
    },
  };
}

export type EmulatorApi = ReturnType<typeof emulatorApi>;
