import type { BookingChannel } from "#db/schema/index";

/**
 * Japanese labels for a reservation, shared by the resident pages, LIFF, the venue-day list and its
 * CSV, and phone booking: one spelling everywhere (ADR 034).
 */

/** How the booking came in: ウェブ / LINE / 電話. */
export const CHANNEL_LABELS: Record<BookingChannel, string> = { web: "ウェブ", line: "LINE", phone: "電話" };

export const STATUS_LABELS = {
  booked: "予約済み",
  attended: "来場",
  no_show: "来場なし",
  cancelled: "キャンセル",
} as const;

/** "1回目", "2回目". */
export const doseLabel = (dose: number) => `${dose}回目`;
