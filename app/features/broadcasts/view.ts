import type { BroadcastRunStatus, BroadcastStatus } from "#db/schema/index";

/** Labels and small computations shared by the broadcast pages (client-safe). */
export const STATUS_LABEL: Record<BroadcastStatus, string> = {
  draft: "下書き",
  scheduled: "予約済み",
  sending: "配信中",
  sent: "完了",
  cancelled: "取り消し済み",
  failed: "失敗",
};
export const RUN_STATUS_LABEL: Record<BroadcastRunStatus, string> = {
  pending: "準備中",
  sending: "配信中",
  sent: "完了",
  failed: "失敗",
  cancelled: "中止",
};
export const KIND_LABEL = { text: "テキスト", image: "画像", flex: "カード" } as const;
export const BROADCAST_POLL_MS = 1500;

export type Progress = {
  totalRecipients: number;
  sentRecipients: number;
  failedRecipients: number;
  totalChunks: number;
  sentChunks: number;
  failedChunks: number;
};

/** Whole percent of recipients settled (sent or failed for good); 0 before the snapshot. */
export function progressPercent(r: Progress): number {
  if (r.totalRecipients === 0) return r.totalChunks === 0 ? 0 : 100;
  return Math.min(100, Math.floor(((r.sentRecipients + r.failedRecipients) * 100) / r.totalRecipients));
}

/** Recipients of a run that were neither sent nor failed: after a stop, the ones never sent (未送信). */
export function unsentRecipients(r: Progress): number {
  return Math.max(0, r.totalRecipients - r.sentRecipients - r.failedRecipients);
}

/** The same privacy floor as the composer's count: below 10 recipients no exact number is shown. */
export function countText(n: number): string {
  return n > 0 && n < 10 ? "10人未満" : `${n.toLocaleString("ja-JP")}人`;
}
