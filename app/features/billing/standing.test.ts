import { describe, expect, it } from "vitest";
import { billingStanding } from "./standing";

const now = new Date("2026-12-07T00:00:00Z");
const inv = (status: string, dueDate: string | null, amountDueYen = 120000, amountPaidYen = 0) => ({
  status,
  dueDate,
  amountDueYen,
  amountPaidYen,
});

describe("billingStanding", () => {
  it("never says 支払済み beside an open invoice", () => {
    const s = billingStanding(
      "active",
      [inv("paid", "2026-11-01T00:00:00Z"), inv("open", "2026-12-31T00:00:00Z")],
      now,
    );
    expect(s).toMatchObject({ tone: "pending", openCount: 1, outstandingYen: 120000 });
    expect(s.label).toBe("契約中（未払い 1件・120,000円・支払期限 2026年12月31日）");
  });

  it("calls an open invoice past its due date overdue, and sums what is still owed", () => {
    const s = billingStanding(
      "active",
      [inv("open", "2026-12-01T00:00:00Z", 120000, 20000), inv("open", "2027-01-01T00:00:00Z")],
      now,
    );
    expect(s.tone).toBe("alert");
    expect(s.label).toBe("支払期限超過（未払い 2件・220,000円・支払期限 2026年12月1日）");
  });

  it("reads 支払済み only with paid invoices and none open; before the first invoice says so", () => {
    expect(billingStanding("active", [inv("paid", null)], now).label).toBe("契約中（支払済み）");
    expect(billingStanding("active", [], now).label).toBe("契約中（請求書の発行前）");
    expect(billingStanding("none", [], now)).toMatchObject({ tone: "neutral", label: "未契約" });
    expect(billingStanding("unpaid", [inv("uncollectible", null)], now)).toMatchObject({
      tone: "alert",
      label: "未払い",
    });
  });
});
