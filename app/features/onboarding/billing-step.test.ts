import { describe, expect, it } from "vitest";
import { billingStepSchema, planForPopulation } from "./billing-step.server";

describe("billing step (plan bands; Stripe joins at merge)", () => {
  it("suggests the plan of the city's population band, the smallest when unknown", () => {
    expect(planForPopulation(null).key).toBe("town");
    expect(planForPopulation(30_000).key).toBe("town");
    expect(planForPopulation(30_001).key).toBe("city-s");
    expect(planForPopulation(100_000).key).toBe("city-s");
    expect(planForPopulation(500_000).key).toBe("city-m");
    expect(planForPopulation(3_700_000).key).toBe("city-l");
  });

  it("refuses an unknown plan, a bad e-mail and a missing payment method with Japanese messages", () => {
    const r = billingStepSchema.safeParse({ planKey: "free", billingEmail: "not-an-address", collection: "" });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toEqual(expect.arrayContaining(["プランを選択してください。", "支払い方法を選択してください。", expect.stringContaining("メールアドレスの形式が正しくありません")]));
    expect(billingStepSchema.parse({ planKey: "city-m", billingEmail: " Keiri@City.Example.JP ", collection: "send_invoice" })).toEqual({ planKey: "city-m", billingEmail: "keiri@city.example.jp", collection: "send_invoice" });
  });
});
