import type { BillingStatus } from "#db/schema/billing";
import { BILLING_STATUS_LABEL, dateJa, yen } from "./labels";

/**
 * The billing state a person reads (issue 13.7): the subscription's status alone said
 * 「契約中（支払済み）」 beside an open invoice, because a `send_invoice` subscription stays
 * "active" until an invoice goes past due. The standing adds what is owed: open invoices, their
 * total and the earliest due date, and calls an open invoice past its due date overdue at once,
 * before Stripe's past_due event arrives. Computed on the server (it needs "now"), shown as is.
 */

export type StandingInvoice = { status: string; amountDueYen: number; amountPaidYen: number; dueDate: string | null };

export type BillingStanding = {
  status: BillingStatus;
  tone: "ok" | "pending" | "alert" | "neutral";
  label: string;
  openCount: number;
  outstandingYen: number;
  nextDueDate: string | null;
};

export function billingStanding(
  status: BillingStatus,
  invoices: readonly StandingInvoice[],
  now = new Date(),
): BillingStanding {
  const open = invoices.filter((i) => i.status === "open");
  const outstandingYen = open.reduce((n, i) => n + Math.max(0, i.amountDueYen - i.amountPaidYen), 0);
  const dues = open.map((i) => i.dueDate).filter((d): d is string => d !== null);
  const nextDueDate = dues.length ? dues.reduce((a, b) => (a < b ? a : b)) : null;
  const lateOpen = open.some((i) => i.dueDate !== null && new Date(i.dueDate) < now);
  const owed = open.length ? `未払い ${open.length}件・${yen(outstandingYen)}・支払期限 ${dateJa(nextDueDate)}` : "";
  const base = { status, openCount: open.length, outstandingYen, nextDueDate };

  if (status === "past_due" || status === "unpaid" || (status === "active" && lateOpen))
    return {
      ...base,
      tone: "alert",
      label: `${BILLING_STATUS_LABEL[status === "active" ? "past_due" : status]}${owed ? `（${owed}）` : ""}`,
    };
  if (status === "active") {
    if (open.length) return { ...base, tone: "pending", label: `契約中（${owed}）` };
    if (!invoices.some((i) => i.status === "paid")) return { ...base, tone: "ok", label: "契約中（請求書の発行前）" };
    return { ...base, tone: "ok", label: BILLING_STATUS_LABEL.active };
  }
  return { ...base, tone: "neutral", label: `${BILLING_STATUS_LABEL[status]}${owed ? `（${owed}）` : ""}` };
}
