import type { messagingApi } from "@line/bot-sdk";

/**
 * The reminder as one LINE text message: like the notice, no name (the message sits on the
 * resident's phone and at LINE), the date written out (a late reminder must still be true).
 */
export type LineReminderInput = {
  cityName: string;
  serviceName: string;
  dose: number;
  startsAtText: string;
  venueName: string;
  venueAddress: string;
  accessNotes: string;
  whatToBring: string;
  confirmationCode: string;
  manageUrl: string;
};

const TEXT_MAX = 5000;

export function lineReminderText(p: LineReminderInput): string {
  const lines = [
    `【${p.cityName}】ご予約日時が近づいています`,
    "",
    `${p.serviceName}（${p.dose}回目）`,
    `日時：${p.startsAtText}`,
    `会場：${p.venueName}（${p.venueAddress}）`,
  ];
  if (p.accessNotes) lines.push(`交通・駐車場：${p.accessNotes}`);
  if (p.whatToBring) lines.push(`持ち物：${p.whatToBring}`);
  lines.push(
    `予約番号：${p.confirmationCode}`,
    "",
    `ご都合が悪くなった場合は、予約の変更・キャンセルをお願いします\n${p.manageUrl}`,
  );
  return lines.join("\n").slice(0, TEXT_MAX);
}

export function lineReminderMessages(p: LineReminderInput): messagingApi.Message[] {
  return [{ type: "text", text: lineReminderText(p) } as messagingApi.TextMessage];
}
