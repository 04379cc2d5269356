import { randomBytes, randomUUID } from "node:crypto";

/**
 * Identifier shapes the LINE platform uses. The app validates some of them (user ids, webhook event
 * ids), so the emulator produces the same formats rather than arbitrary strings.
 */

const USER_ID = /^U[0-9a-f]{32}$/;
// LINE documents X-Line-Retry-Key as "UUID in hexadecimal format"; any version is accepted.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export const newRequestId = (): string => randomUUID();
export const newUserId = (): string => `U${randomBytes(16).toString("hex")}`;
export const newRichMenuId = (): string => `richmenu-${randomBytes(16).toString("hex")}`;
export const newReplyToken = (): string => randomBytes(16).toString("hex");
export const newOpaqueToken = (): string => randomBytes(24).toString("base64url");
export const isUserId = (v: unknown): v is string => typeof v === "string" && USER_ID.test(v);
export const isUuid = (v: string): boolean => UUID.test(v);

/**
 * 26-character ULID (48-bit millisecond time + 80 random bits, Crockford base32), the format of
 * webhookEventId. Uniqueness matters more than monotonicity here: the app dedupes on it.
 */
export function newUlid(now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = "";
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i] % 32];
  return time + rand;
}

let messageSeq = 0;

/** LINE message ids are numeric strings (18 digits today); time + a wrapping counter keeps them unique. */
export function newMessageId(): string {
  messageSeq = (messageSeq + 1) % 100_000;
  return `${Date.now()}${String(messageSeq).padStart(5, "0")}`;
}
