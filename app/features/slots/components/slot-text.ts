import { formatTimeJa } from "~/lib/japan-time";

/** "Web 12/20 ・ 電話 3/10": booked/capacity of both quotas, the way staff read them on the phone. */
export function quotaText(s: { webBooked: number; webCapacity: number; phoneBooked: number; phoneCapacity: number }) {
  return `Web ${s.webBooked}/${s.webCapacity} ・ 電話 ${s.phoneBooked}/${s.phoneCapacity}`;
}

/** "9:00〜9:30" in Japan time. */
export function timeRangeText(startsAt: string | Date, endsAt: string | Date) {
  return `${formatTimeJa(startsAt)}〜${formatTimeJa(endsAt)}`;
}
