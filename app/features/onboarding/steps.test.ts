import { describe, expect, it } from "vitest";
import { currentStepOf, isReachable, withStepOutcome, type OnboardingSteps } from "./steps";

const now = new Date("2026-11-21T01:00:00Z");
const done = (...names: (keyof OnboardingSteps)[]): OnboardingSteps =>
  Object.fromEntries(names.map((n) => [n, { status: "done" as const, completedAt: now.toISOString() }]));

describe("onboarding steps", () => {
  it("the current step is the first one not done; everything done leaves 'live'", () => {
    expect(currentStepOf({})).toBe("city");
    expect(currentStepOf(done("city", "line"))).toBe("webhook");
    expect(currentStepOf({ ...done("city", "line"), webhook: { status: "failed", message: "x" } })).toBe("webhook");
    expect(currentStepOf(done("city", "line", "webhook", "liff", "richmenu", "billing", "admin", "live"))).toBe("live");
  });

  it("a step opens only when every earlier step is done (the city step always)", () => {
    expect(isReachable({}, "city")).toBe(true);
    expect(isReachable({}, "line")).toBe(false);
    expect(isReachable(done("city"), "line")).toBe(true);
    expect(isReachable(done("city"), "webhook")).toBe(false);
    expect(isReachable(done("city", "line", "webhook", "liff", "richmenu", "billing", "admin"), "live")).toBe(true);
  });

  it("a failure records its message and drops the last success time", () => {
    const after = withStepOutcome(
      done("city", "line"),
      "line",
      { status: "failed", message: "トークンが無効" },
      { now },
    );
    expect(after.line).toEqual({ status: "failed", message: "トークンが無効", attemptedAt: now.toISOString() });
  });

  it("redoing a step with changes resets the later steps that relied on it, and only those that had run", () => {
    const steps = { ...done("city", "line", "webhook", "liff", "richmenu", "billing") };
    const after = withStepOutcome(steps, "line", { status: "done" }, { now, invalidate: true });
    expect(after.webhook).toMatchObject({
      status: "pending",
      message: "「LINEチャネル」を変更したため、もう一度実行してください。",
    });
    expect(after.liff?.status).toBe("pending");
    expect(after.richmenu?.status).toBe("pending");
    expect(after.billing?.status).toBe("done");
    expect(currentStepOf(after)).toBe("webhook");
    // Without changes nothing is reset; a step never run stays as it was.
    expect(withStepOutcome(steps, "line", { status: "done" }, { now }).webhook?.status).toBe("done");
    expect(withStepOutcome(done("city"), "city", { status: "done" }, { now, invalidate: true }).liff).toBeUndefined();
  });
});
