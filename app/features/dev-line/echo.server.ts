/**
 * What each simulated resident did (follow, typed text, taps, shared places, failed deliveries), so
 * the chat can show the resident's side: the emulator records only what the app sent. Kept in the
 * web process's memory, like the emulator's own state, and lost with it on restart. The demo runs
 * one web process; with several, each would see only the actions it handled (fine for a dev tool).
 */
export type EchoKind = "follow" | "unfollow" | "text" | "location" | "image" | "postback" | "error";

export type EchoEntry = { id: string; at: number; kind: EchoKind; text: string; detail?: string };

const PER_USER = 200;
const USERS = 500;

// On globalThis so a dev-server module reload (HMR) keeps the history the emulator still has.
const holder = globalThis as typeof globalThis & {
  __madoguchiDevLineEcho?: { seq: number; byUser: Map<string, EchoEntry[]> };
};
const store = (holder.__madoguchiDevLineEcho ??= { seq: 0, byUser: new Map() });

const keyOf = (channelId: string, userId: string) => `${channelId}\n${userId}`;

export function recordEcho(
  channelId: string,
  userId: string,
  entry: Omit<EchoEntry, "id" | "at">,
  at = Date.now(),
): EchoEntry {
  const key = keyOf(channelId, userId);
  const list = store.byUser.get(key) ?? [];
  const full: EchoEntry = { ...entry, id: `echo-${++store.seq}`, at };
  list.push(full);
  if (list.length > PER_USER) list.splice(0, list.length - PER_USER);
  // Re-inserting moves the user to the end, so the map's first key is the least recently active.
  store.byUser.delete(key);
  store.byUser.set(key, list);
  if (store.byUser.size > USERS) store.byUser.delete(store.byUser.keys().next().value!);
  return full;
}

export function echoesOf(channelId: string, userId: string): EchoEntry[] {
  return [...(store.byUser.get(keyOf(channelId, userId)) ?? [])];
}

/** Following, blocked or neither, as far as this simulator has seen. */
export function friendshipOf(echoes: EchoEntry[]): "following" | "blocked" | "unknown" {
  for (let i = echoes.length - 1; i >= 0; i--) {
    if (echoes[i].kind === "follow") return "following";
    if (echoes[i].kind === "unfollow") return "blocked";
  }
  return "unknown";
}
