import { describe, expect, it } from "vitest";
import { assess, THRESHOLDS, worstFirst, type HealthFigures } from "./severity";

const healthy: HealthFigures = { webhookErrors: 0, queueDepth: 0, failedJobs: 0, token: "valid" };

describe("tenant-health severity", () => {
  it("a city with nothing wrong is ok with no reasons", () => {
    expect(assess(healthy)).toEqual({ severity: "ok", reasons: [], score: 0 });
  });

  it("an invalid or missing token is critical; a token that could not be checked warns", () => {
    expect(assess({ ...healthy, token: "invalid" })).toMatchObject({
      severity: "critical",
      reasons: ["チャネルアクセストークンが無効"],
    });
    expect(assess({ ...healthy, token: "missing" })).toMatchObject({
      severity: "critical",
      reasons: ["LINEチャネル未設定"],
    });
    expect(assess({ ...healthy, token: "unknown" })).toMatchObject({ severity: "warning" });
  });

  it("errors and failed jobs warn, and become critical at their thresholds; a long queue warns", () => {
    expect(assess({ ...healthy, webhookErrors: 1 }).severity).toBe("warning");
    expect(assess({ ...healthy, webhookErrors: THRESHOLDS.webhookErrorsCritical }).severity).toBe("critical");
    expect(assess({ ...healthy, failedJobs: 1 }).severity).toBe("warning");
    expect(assess({ ...healthy, failedJobs: THRESHOLDS.failedJobsCritical })).toMatchObject({
      severity: "critical",
      reasons: [`失敗ジョブ ${THRESHOLDS.failedJobsCritical}件`],
    });
    expect(assess({ ...healthy, queueDepth: THRESHOLDS.queueDepthWarning - 1 }).severity).toBe("ok");
    expect(assess({ ...healthy, queueDepth: THRESHOLDS.queueDepthWarning }).severity).toBe("warning");
  });

  it("figures that could not be read warn instead of passing as zero", () => {
    expect(assess({ webhookErrors: null, queueDepth: null, failedJobs: null, token: "valid" })).toMatchObject({
      severity: "warning",
      reasons: ["Webhookエラー数を取得できません", "失敗ジョブ数を取得できません", "キューの状態を取得できません"],
    });
  });

  it("orders critical before warning before ok, then by how much is wrong, then by name", () => {
    const row = (name: string, f: Partial<HealthFigures>) => ({ name, ...assess({ ...healthy, ...f }) });
    const sorted = worstFirst([
      row("あ市", {}),
      row("い市", { webhookErrors: 2 }),
      row("う市", { token: "invalid" }),
      row("え市", { webhookErrors: 5 }),
      row("お市", { token: "missing", failedJobs: 3 }),
    ]);
    expect(sorted.map((r) => r.name)).toEqual(["お市", "う市", "え市", "い市", "あ市"]);
  });
});
