import type { BillingStatus } from "#db/schema/billing";
import { formatTokyo } from "~/lib/japan-time";

/** Client-safe labels and formats for the billing pages. */

export const BILLING_STATUS_LABEL: Record<BillingStatus, string> = {
  none: "未契約",
  active: "契約中（支払済み）",
  past_due: "支払期限超過",
  unpaid: "未払い",
  canceled: "解約済み",
};

export const INVOICE_STATUS_LABEL: Record<string, string> = {
  draft: "下書き",
  open: "未払い（支払待ち）",
  paid: "支払済み",
  void: "無効",
  uncollectible: "回収不能",
};

export const COLLECTION_LABEL = {
  send_invoice: "請求書払い（銀行振込）",
  charge_automatically: "カード自動決済",
} as const;

export const yen = (n: number | null | undefined) =>
  n === null || n === undefined ? "—" : `${n.toLocaleString("ja-JP")}円`;

/** A date in Japan time, e.g. 2026年12月1日. */
export function dateJa(d: Date | string | null | undefined): string {
  if (!d) return "—";
  return formatTokyo(new Date(d), "yyyy年M月d日");
}

/** "2026-11-01" → "2026年11月". */
export const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
