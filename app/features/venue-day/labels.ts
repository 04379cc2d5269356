/** Japanese labels shared by the venue-day page, its CSV and the phone-booking page. */

export const CHANNEL_LABELS = { web: "ウェブ", line: "LINE", phone: "電話" } as const;

export const STATUS_LABELS = {
  booked: "予約済み",
  attended: "来場",
  no_show: "来場なし",
  cancelled: "キャンセル",
} as const;

export const doseLabel = (dose: number) => `${dose}回目`;
