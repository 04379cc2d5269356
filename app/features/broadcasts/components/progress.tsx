import { countText, progressPercent, RUN_STATUS_LABEL, unsentRecipients, type Progress } from "../view";
import type { BroadcastRunStatus } from "#db/schema/index";

/** A run's progress: a native <progress> (announced by screen readers) and the counts in words. */
export function RunProgress({ run, label }: { run: Progress & { status: BroadcastRunStatus }; label: string }) {
  const pct = progressPercent(run);
  const failed = run.failedRecipients ? `、送信できなかった人 ${countText(run.failedRecipients)}` : "";
  return (
    <div className="space-y-1">
      <progress max={100} value={pct} aria-label={label} className="h-3 w-full max-w-md accent-blue-900" />
      {run.status === "cancelled" ? (
        // Stopped by staff: what went out and what never will, in the words staff use.
        <p>
          {RUN_STATUS_LABEL.cancelled}：{countText(run.sentRecipients)}に送信済み・{countText(unsentRecipients(run))}
          は未送信
          {failed ? `（${failed.slice(1)}）` : ""}
        </p>
      ) : (
        <p>
          {RUN_STATUS_LABEL[run.status]}：{pct}%（送信済み {countText(run.sentRecipients)} / 対象{" "}
          {countText(run.totalRecipients)}
          {failed}）
        </p>
      )}
    </div>
  );
}
