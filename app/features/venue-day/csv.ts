import { formatTimeJa } from "~/lib/japan-time";
import { safeFileName, toCsv } from "~/lib/csv.server";
import { CHANNEL_LABELS, doseLabel, STATUS_LABELS } from "~/lib/booking-labels";

/** The venue-day list as CSV (the writing itself is ~/lib/csv.server). */

export type VenueDayCsvRow = {
  startsAt: Date;
  endsAt: Date;
  contactName: string;
  contactPhone: string;
  dose: number;
  channel: keyof typeof CHANNEL_LABELS;
  status: keyof typeof STATUS_LABELS;
  confirmationCode: string;
  proxyNote: string | null;
  serviceName: string;
};

/** The venue-day list as a spreadsheet: one header row, then one row per reservation, in list order. */
export function venueDayCsv(venueName: string, date: string, rows: readonly VenueDayCsvRow[]): string {
  const header = [
    "日付",
    "開始",
    "終了",
    "会場",
    "サービス",
    "氏名",
    "電話番号",
    "接種回数",
    "受付経路",
    "状態",
    "予約番号",
    "代理予約メモ",
  ];
  return toCsv([
    header,
    ...rows.map((r) => [
      date,
      formatTimeJa(r.startsAt),
      formatTimeJa(r.endsAt),
      venueName,
      r.serviceName,
      r.contactName,
      r.contactPhone,
      doseLabel(r.dose),
      CHANNEL_LABELS[r.channel],
      STATUS_LABELS[r.status],
      r.confirmationCode,
      r.proxyNote ?? "",
    ]),
  ]);
}

/** "当日の予約一覧_市民会館_2026-12-01.csv", with an ASCII fallback for old clients. */
export function venueDayFileNames(venueName: string, date: string) {
  return { filename: safeFileName(`当日の予約一覧_${venueName}_${date}.csv`), ascii: `venue-day_${date}.csv` };
}
