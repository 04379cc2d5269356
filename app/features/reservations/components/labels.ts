import type { BookingChannel } from "#db/schema/index";

/** Times with fewer free seats than this show "残りわずか". */
export const FEW_SEATS_LABEL_LIMIT = 5;

export const CHANNEL_LABELS: Record<BookingChannel, string> = { web: "ウェブ", line: "LINE", phone: "電話" };

export const doseLabel = (dose: number) => `${dose}回目`;
