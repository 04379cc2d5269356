import { describe, expect, it } from "vitest";
import { billingStepSchema, planLabel } from "./billing-step.server";

describe("billing step form", () => {
  it("refuses a malformed plan, a bad e-mail and a missing payment method with Japanese messages", () => {
    const r = billingStepSchema.safeParse({ planKey: "Free Plan!", billingEmail: "not-an-address", collection: "" });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "プランを選択してください。",
        "支払い方法を選択してください。",
        expect.stringContaining("メールアドレスの形式が正しくありません"),
      ]),
    );
    expect(
      billingStepSchema.parse({
        planKey: "standard",
        billingEmail: " Keiri@City.Example.JP ",
        collection: "send_invoice",
      }),
    ).toEqual({ planKey: "standard", billingEmail: "keiri@city.example.jp", collection: "send_invoice" });
  });

  it("labels a plan with its monthly price in yen", () => {
    expect(planLabel({ name: "スタンダード（人口3万〜10万人）", amountYenPerMonth: 120000 })).toBe(
      "スタンダード（人口3万〜10万人） 月額120,000円（税別）",
    );
  });
});
