/**
 * The tenant-health table's verdict per city, pure so it can be tested on its own. "critical": the
 * city cannot reach residents (no valid token) or is failing at scale; "warning": something needs a
 * look; "ok". Unknown values (Redis or LINE unreachable from here) warn rather than pass silently.
 */
export type TokenState = "valid" | "invalid" | "unknown" | "missing";
export type Severity = "critical" | "warning" | "ok";

export type HealthFigures = {
  webhookErrors: number | null;
  queueDepth: number | null;
  failedJobs: number | null;
  token: TokenState;
};

export const THRESHOLDS = { webhookErrorsCritical: 20, failedJobsCritical: 10, queueDepthWarning: 100 } as const;

export const SEVERITY_LABEL: Record<Severity, string> = { critical: "要対応", warning: "注意", ok: "正常" };
const RANK: Record<Severity, number> = { critical: 2, warning: 1, ok: 0 };

export function assess(f: HealthFigures): { severity: Severity; reasons: string[]; score: number } {
  const critical: string[] = [];
  const warning: string[] = [];
  if (f.token === "invalid") critical.push("チャネルアクセストークンが無効");
  if (f.token === "missing") critical.push("LINEチャネル未設定");
  if (f.token === "unknown") warning.push("トークンを確認できません");
  if (f.webhookErrors === null) warning.push("Webhookエラー数を取得できません");
  else if (f.webhookErrors >= THRESHOLDS.webhookErrorsCritical) critical.push(`Webhookエラー ${f.webhookErrors}件`);
  else if (f.webhookErrors > 0) warning.push(`Webhookエラー ${f.webhookErrors}件`);
  if (f.failedJobs === null) warning.push("失敗ジョブ数を取得できません");
  else if (f.failedJobs >= THRESHOLDS.failedJobsCritical) critical.push(`失敗ジョブ ${f.failedJobs}件`);
  else if (f.failedJobs > 0) warning.push(`失敗ジョブ ${f.failedJobs}件`);
  if (f.queueDepth === null) warning.push("キューの状態を取得できません");
  else if (f.queueDepth >= THRESHOLDS.queueDepthWarning) warning.push(`キュー滞留 ${f.queueDepth}件`);
  const severity: Severity = critical.length ? "critical" : warning.length ? "warning" : "ok";
  // Within a severity, the city with more trouble first.
  const score =
    (f.webhookErrors ?? 0) +
    2 * (f.failedJobs ?? 0) +
    Math.floor((f.queueDepth ?? 0) / 10) +
    (f.token === "valid" ? 0 : 50);
  return { severity, reasons: [...critical, ...warning], score };
}

/** Worst first: severity, then score, then name (stable for equal cities). */
export function worstFirst<T extends { severity: Severity; score: number; name: string }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) => RANK[b.severity] - RANK[a.severity] || b.score - a.score || a.name.localeCompare(b.name, "ja"),
  );
}
