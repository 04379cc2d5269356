import { countText, progressPercent, RUN_STATUS_LABEL, type Progress } from "../view";
import type { BroadcastRunStatus } from "#db/schema/index";

/** A run's progress: a native <progress> (announced by screen readers) and the counts in words. */
export function RunProgress({ run, label }: { run: Progress & { status: BroadcastRunStatus }; label: string }) {
  const pct = progressPercent(run);
  return (
    <div className="space-y-1">
      <progress max={100} value={pct} aria-label={label} className="h-3 w-full max-w-md accent-blue-900" />
      <p>
        {RUN_STATUS_LABEL[run.status]}：{pct}%（送信済み {countText(run.sentRecipients)} / 対象 {countText(run.totalRecipients)}
        {run.failedRecipients ? `、送信できなかった人 ${countText(run.failedRecipients)}` : ""}）
      </p>
    </div>
  );
}
