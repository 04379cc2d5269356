/** Client-safe pieces shared by the two roster admin pages (no server imports here). */

export type RosterImportStatus = "queued" | "running" | "completed" | "failed";

export const STATUS_LABEL: Record<RosterImportStatus, string> = {
  queued: "待機中",
  running: "取り込み中",
  completed: "完了",
  failed: "失敗（登録なし）",
};

/** Still to change on its own (the worker has it): the pages poll while any import is in one of these. */
export const isOpenStatus = (s: RosterImportStatus) => s === "queued" || s === "running";

/** How often the roster pages re-read an open import (usePollWhile). */
export const ROSTER_POLL_MS = 2000;

/** Upload limit, shown on the form and enforced by upload.server.ts while the body streams in. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export const formatCount = (n: number) => n.toLocaleString("ja-JP");
